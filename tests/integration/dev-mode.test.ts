import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueEmail } from "../../scripts/lib/api-client";
import { CHROMIUM_ARGS, findChromium } from "../../e2e/chromium";
import { browserSignIn } from "../support/browser-sign-in";
import { DevServer } from "../support/dev-server";

/**
 * Development mode as a new developer meets it: `next dev` on a port other than 3000 (as with
 * `npm run dev -- -p 3001` when 3000 is taken), nothing configured (no APP_URL), and Chromium on
 * /login and /register. The pages, Next's own development tools included, must run without a single
 * console error or Content-Security-Policy violation; registration, server actions and the
 * next-auth sign-in must work on that port, and what names the app's URL must name that port.
 *
 * Storage: `next dev` always runs on the embedded default (a throwaway PGlite folder and secrets in
 * a temp DATA_DIR, the in-process store), whatever the test run uses; so it is one of the
 * storage-independent files (vitest.config.mts) that `.ci/run` runs in its first pass only.
 * It needs no production build and leaves one alone: Next 16 keeps development output in .next/dev
 * (see tests/support/dev-server.ts). About 40 s, 60 s when Turbopack's cache in .next/dev is cold:
 * `next dev` compiles each page on its first request.
 */
const PASSWORD = "correct horse battery staple";
/**
 * `next dev` compiles a page (server and browser code) on its first request; on a loaded two-core
 * machine one page has taken over 30 s. Waits in this file allow for that; they are not a speed target.
 */
const COMPILE_BUDGET_MS = 150_000;

describe("next dev on a port other than 3000, without configuration", () => {
  let dataDir: string;
  let dev: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "rjs-dev-mode-"));
    [dev, browser] = await Promise.all([
      DevServer.start({ DATA_DIR: dataDir, PGLITE_DATA_DIR: path.join(dataDir, "pglite"), LOG_LEVEL: "warn" }),
      chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_ARGS }),
    ]);
    // Compile the pages the tests open before any browser waits on them.
    for (const pathname of ["/login", "/register", "/devices"]) {
      await fetch(`${dev.url}${pathname}`, { redirect: "manual", signal: AbortSignal.timeout(COMPILE_BUDGET_MS) });
    }
  }, 4 * COMPILE_BUDGET_MS);

  afterAll(async () => {
    await browser?.close();
    await dev?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    "serves /login and /register with Next's development tools and no console error or CSP violation",
    async () => {
      const { page, problems } = await watchedPage(browser);
      for (const pathname of ["/login", "/register"]) {
        await page.goto(`${dev.url}${pathname}`);
        await expectDevToolsMounted(page);
      }
      expect(problems, dev.logs).toEqual([]);
    },
    COMPILE_BUDGET_MS,
  );

  it(
    "registers and signs in through the forms on this port (server action, next-auth)",
    async () => {
      const email = uniqueEmail("dev-mode");
      // Registering signs this browser in too (the form's next-auth step); then a second browser signs in.
      const registering = await watchedPage(browser);
      await submitEmailAndPassword(registering.page, `${dev.url}/register`, "Create account", email);
      await registering.page.waitForURL(`${dev.url}/devices`);
      const signingIn = await watchedPage(browser);
      await submitEmailAndPassword(signingIn.page, `${dev.url}/login`, "Sign in", email);
      await signingIn.page.waitForURL(`${dev.url}/devices`);
      const devices = signingIn.page.getByRole("list", { name: "Signed-in devices" }).getByRole("listitem");
      await devices.nth(1).waitFor();
      expect(await devices.count()).toBe(2);

      expect([...registering.problems, ...signingIn.problems], dev.logs).toEqual([]);
    },
    COMPILE_BUDGET_MS,
  );

  it("takes this port for its public URL: next-auth's answers and the OAuth metadata name it", async () => {
    const email = uniqueEmail("dev-mode-url");
    const registered = await fetch(`${dev.url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(registered.status).toBe(201);

    const signIn = await browserSignIn(dev.url, email, PASSWORD);
    expect(signIn.status).toBe(200);
    expect(JSON.parse(signIn.body)).toEqual({ url: `${dev.url}/devices` });

    const metadata = await fetch(`${dev.url}/.well-known/oauth-authorization-server`);
    expect(await metadata.json()).toMatchObject({ token_endpoint: `${dev.url}/api/auth/token` });
  });
});

/**
 * A page in a fresh context (its own cookies) whose console errors, uncaught errors and CSP
 * violations are collected. Chromium logs most violations to the console too; the event also
 * catches those it reports only to the page.
 */
async function watchedPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  const context = await browser.newContext();
  context.setDefaultTimeout(COMPILE_BUDGET_MS);
  await context.exposeBinding("__reportCspViolation", (_source, line: string) => problems.push(`CSP: ${line}`));
  await context.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (event) => {
        const report = (window as unknown as { __reportCspViolation: (line: string) => void }).__reportCspViolation;
        void report(
          `${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
        );
      },
      true,
    );
  });
  context.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
  });
  context.on("weberror", (error) => problems.push(`uncaught: ${error.error().message}`));
  return { page: await context.newPage(), problems };
}

/** Opens a form page, fills its email and password fields and submits it. */
async function submitEmailAndPassword(page: Page, url: string, button: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: button, exact: true }).click();
}

/** Next's development tools live in a <nextjs-portal> element: proof that this is development mode, running. */
async function expectDevToolsMounted(page: Page): Promise<void> {
  await page.locator("nextjs-portal").waitFor({ state: "attached" });
  await page.waitForLoadState("load");
}
