/**
 * Playwright fixtures for the e2e specs: one browser context per device, users created over the
 * HTTP API (fast), sign-in through the UI (what is under test), and a guard that fails any test
 * during which a browser logged a console error or threw an uncaught exception.
 *
 *   test("...", async ({ newUser, device, signIn, signedIn, consoleErrors }) => {
 *     const user = await newUser();
 *     const laptop = await signedIn("laptop", user);   // = device("laptop") + signIn(page, user)
 *     const phone = await device("phone");              // a second device, not signed in yet
 *   });
 */
import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from "@playwright/test";
import { Api, CHROME_MAC, SAFARI_IPHONE, uniqueEmail } from "../scripts/lib/api-client";

export { expect };

export interface User {
  email: string;
  password: string;
}

/** One device = one browser context (its own cookies) with one page; open more tabs with context.newPage(). */
export interface Device {
  name: string;
  context: BrowserContext;
  page: Page;
}

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPAD =
  "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/**
 * Each device name gets a User-Agent of its own so the devices list tells them apart (the engine
 * is always Chromium; only the UA string and the screen differ).
 */
export const DEVICES = {
  /** Chrome on macOS. */
  laptop: { userAgent: CHROME_MAC, viewport: { width: 1280, height: 800 } },
  /** Mobile Safari on iOS. */
  phone: { userAgent: SAFARI_IPHONE, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  /** Firefox on Windows. */
  desktop: { userAgent: FIREFOX_WINDOWS, viewport: { width: 1280, height: 800 } },
  /** Safari on iPadOS. */
  tablet: { userAgent: SAFARI_IPAD, viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;
export type DeviceName = keyof typeof DEVICES;

/** The password of users made by newUser() (unless given). */
export const PASSWORD = "correct horse battery staple";

export interface ConsoleErrors {
  /**
   * Tolerates browser console errors matching `pattern` for the rest of this test, for an error
   * the test itself provokes (e.g. Chromium's "Failed to load resource: ... status of 401" when a
   * form posts a wrong password). Everything else still fails the test.
   */
  allow(pattern: RegExp): void;
  /** What was recorded so far (allowed ones excluded). */
  readonly problems: readonly string[];
}

class ConsoleGuard implements ConsoleErrors {
  private readonly recorded: string[] = [];
  private readonly allowed: RegExp[] = [];

  get problems(): readonly string[] {
    return this.recorded.filter((line) => !this.allowed.some((pattern) => pattern.test(line)));
  }

  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  /** Context-level events cover every page of the context, tabs and popups included. */
  watch(context: BrowserContext, label: string): void {
    context.on("console", (message) => {
      if (message.type() !== "error") return;
      const { url, lineNumber } = message.location();
      const where = url ? ` (${url}:${lineNumber})` : "";
      this.recorded.push(`[${label}] console.error on ${message.page()?.url() ?? "?"}: ${message.text()}${where}`);
    });
    context.on("weberror", (webError) => {
      const error = webError.error();
      this.recorded.push(
        `[${label}] uncaught ${error.name} on ${webError.page()?.url() ?? "?"}: ${error.stack ?? error.message}`,
      );
    });
  }
}

interface Fixtures {
  /** Automatic: fails the test if any browser context it created logged a console error or a page error. */
  consoleErrors: ConsoleErrors;
  /** A new device: a new browser context with its own User-Agent, and a page in it. Closed after the test. */
  device: (name: DeviceName, options?: BrowserContextOptions) => Promise<Device>;
  /** Registers a fresh user (unique email unless given) through POST /api/auth/register. */
  newUser: (options?: { email?: string; password?: string }) => Promise<User>;
  /** Signs `page` in through the /login form and waits for /devices. */
  signIn: (page: Page, user: User) => Promise<void>;
  /** device(name) + signIn(its page, user): the page ends on /devices. */
  signedIn: (name: DeviceName, user: User) => Promise<Device>;
  /** An API client on the app under test (scripts/lib/api-client.ts). */
  api: Api;
}

// The second argument of a fixture is named `provide`, not `use`, so the React hooks lint rule
// does not mistake it for React's use().
export const test = base.extend<Fixtures>({
  consoleErrors: [
    async ({}, provide) => {
      const guard = new ConsoleGuard();
      await provide(guard);
      const problems = guard.problems;
      expect(
        problems.length,
        `the browser reported ${problems.length} error(s):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`,
      ).toBe(0);
    },
    { auto: true },
  ],

  // The default context/page fixtures are watched too, for specs that use `page` directly.
  context: async ({ context, consoleErrors }, provide) => {
    (consoleErrors as ConsoleGuard).watch(context, "page");
    await provide(context);
  },

  device: async ({ browser, baseURL, consoleErrors }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (name, options = {}) => {
      const context = await browser.newContext({
        baseURL: baseURL ?? requireBaseUrl(),
        locale: "en-US",
        ...DEVICES[name],
        ...options,
      });
      contexts.push(context);
      (consoleErrors as ConsoleGuard).watch(context, name);
      return { name, context, page: await context.newPage() };
    });
    for (const context of contexts) await context.close();
  },

  api: async ({ baseURL }, provide) => {
    await provide(new Api(baseURL ?? requireBaseUrl()));
  },

  newUser: async ({ api }, provide) => {
    await provide(async (options = {}) => {
      const user = { email: options.email ?? uniqueEmail("e2e"), password: options.password ?? PASSWORD };
      const res = await api.register(user.email, user.password);
      expect(res.status, `registering ${user.email}: ${JSON.stringify(res.body)}`).toBe(201);
      return user;
    });
  },

  signIn: async ({ baseURL: _baseURL }, provide) => {
    await provide(signIn);
  },

  signedIn: async ({ device }, provide) => {
    await provide(async (name, user) => {
      const d = await device(name);
      await signIn(d.page, user);
      return d;
    });
  },
});

function requireBaseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("no baseURL: run the specs through playwright.config.ts (its globalSetup starts the app)");
  return url;
}

/** The sign-in form at /login; resolves once the browser is on /devices. */
export async function signIn(page: Page, user: User): Promise<void> {
  await page.goto("/login");
  await fillSignInForm(page, user);
  await expect(page).toHaveURL(/\/devices(\?|$)/);
}

/** Fills and submits the sign-in form on the current page (keeps its callbackUrl). */
export async function fillSignInForm(page: Page, user: User): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The rows of the devices list (the list named "Signed-in devices"), one per signed-in device. */
export function deviceRows(page: Page): Locator {
  return page.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem");
}

/**
 * The page's error message (role alert) inside <main>: Next.js's route announcer is also a role
 * alert, outside <main>, and must never satisfy an "an error is shown" check.
 */
export function errorAlert(page: Page): Locator {
  return page.getByRole("main").getByRole("alert");
}

/** The row of the laptop (Chrome) and of the phone (Mobile Safari) in `page`'s devices list. */
export function chromeRow(page: Page): Locator {
  return deviceRows(page).filter({ hasText: "Chrome" });
}
export function safariRow(page: Page): Locator {
  return deviceRows(page).filter({ hasText: "Safari" }).filter({ hasNotText: "Chrome" });
}

/** The page was sent to /login by itself within ~5 s and says why ("... signed out ..."). */
export async function expectSignedOut(page: Page, timeout = 5_000): Promise<void> {
  await expect(page, "moved to /login without any click or navigation").toHaveURL(/\/login(\?|$)/, { timeout });
  await expect(page.getByText(/signed out/i).first(), 'a notice that says "signed out"').toBeVisible();
}

/**
 * Clicks `name` and then the confirm step's button of the same name (in a dialog when there is
 * one, else the last button of that name). The step must offer a way back ("Cancel").
 */
export async function clickAndConfirm(page: Page, name: string): Promise<void> {
  await page.getByRole("button", { name, exact: true }).click();
  await expect(page.getByRole("button", { name: /cancel/i }).first(), `the confirm step of "${name}"`).toBeVisible();
  const dialog = page.getByRole("dialog");
  const scope = (await dialog.count()) > 0 ? dialog : page;
  await scope.getByRole("button", { name, exact: true }).last().click();
}

/** A form field flagged invalid with its message attached to it (aria-invalid + aria-describedby). */
export async function expectFieldError(field: Locator, message: RegExp): Promise<void> {
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(message);
}

/** The session cookie (its name contains "session-token", whatever its prefix) of a context. */
export async function sessionCookie(context: BrowserContext) {
  const cookies = await context.cookies();
  const cookie = cookies.find((c) => c.name.includes("session-token"));
  expect(
    cookie,
    `a cookie named *session-token*; the browser has: ${cookies.map((c) => c.name).join(", ") || "none"}`,
  ).toBeDefined();
  return { cookie: cookie!, all: cookies };
}
