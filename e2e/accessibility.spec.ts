/**
 * An automated accessibility audit (axe-core, WCAG 2.0 / 2.1 A and AA rules) of every page, in
 * each language and each color scheme: one test per language × scheme, one browser context and one
 * user each. A page passes when axe finds no violation of impact "serious" or "critical" (contrast,
 * names, labels, ARIA, duplicate ids...); the lesser ones are printed, not failed. Every page is
 * checked (soft assertions) before the test fails, so one run lists everything there is to fix.
 *
 * No text is asserted: the pages are found by address, ids and structure, the same in every
 * language. Only `<html lang>` is checked against the language asked for.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { SAFARI_IPHONE } from "../scripts/lib/api-client";
import { expect, test, type User } from "./fixtures";

const LOCALES = ["en", "zh-CN"] as const;
const SCHEMES = ["light", "dark"] as const;
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const FAILING_IMPACTS = new Set(["serious", "critical"]);

type AxeViolation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** One line per violation and per element: what to fix, and where. */
function describe(violations: readonly AxeViolation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `      ${node.target.join(" ")}\n        ${node.failureSummary?.replace(/\n/g, "\n        ")}`)
        .join("\n");
      return `  - ${violation.id} (${violation.impact}): ${violation.help}\n${nodes}`;
    })
    .join("\n");
}

/** The browser's sign-in through the form, found by field ids rather than by (translated) labels. */
async function signInById(page: Page, user: User): Promise<void> {
  await page.goto("/login");
  await page.locator("#email").fill(user.email);
  await page.locator("#password").fill(user.password);
  await page.locator("#password").press("Enter");
  await expect(page).toHaveURL(/\/devices(\?|$)/);
}

for (const locale of LOCALES) {
  for (const colorScheme of SCHEMES) {
    test(`every page passes axe (WCAG 2.1 AA): ${locale}, ${colorScheme}`, async ({
      newUser,
      device,
      api,
      baseURL,
      consoleErrors,
    }) => {
      test.setTimeout(90_000); // about twenty pages and states, each audited
      const { context, page } = await device("laptop", { locale, colorScheme });
      await context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: baseURL! }]);

      const audit = async (what: string) => {
        await expect.soft(page.locator("html"), `${what}: <html lang>`).toHaveAttribute("lang", locale);
        const { violations } = await new AxeBuilder({ page })
          .withTags(WCAG_TAGS)
          .options({ resultTypes: ["violations"] }) // passes are not collected node by node: faster
          .analyze();
        const failing = violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ""));
        const minor = violations.filter((violation) => !FAILING_IMPACTS.has(violation.impact ?? ""));
        if (minor.length > 0) console.log(`axe, ${locale} ${colorScheme}, ${what} (not failing):\n${describe(minor)}`);
        expect.soft(failing, `axe, ${locale} ${colorScheme}, ${what}:\n${describe(failing)}\n`).toEqual([]);
      };
      const open = async (path: string, what = path) => {
        await page.goto(path);
        await expect(page.locator("main h1").first()).toBeVisible();
        await audit(what);
      };

      // Signed out.
      await open("/login");
      await page.locator("#email").press("Enter"); // the empty form: both fields flagged
      await expect(page.locator("#email")).toHaveAttribute("aria-invalid", "true");
      await expect(page.locator("#password")).toHaveAttribute("aria-invalid", "true");
      await audit("/login, empty form submitted");
      await open("/register");
      await open("/forgot-password");
      await page.goto("/reset-password?token=not-a-real-token");
      await expect(page.locator("main form button[type=submit]")).toBeEnabled(); // the token was read
      await audit("/reset-password?token=…");
      await page.goto("/verify-email?token=not-a-real-token");
      await expect(page.locator("main [role=alert]")).toBeVisible(); // the dead link's message
      await audit("/verify-email?token=…");
      consoleErrors.allow(/status of 404 \(Not Found\)/); // the 404 page's own status
      await open("/no-such-page", "a 404 page");

      // Signed in, with a second device so the list has "this device" and another row.
      const user = await newUser();
      await signInById(page, user);
      expect((await api.signIn(user.email, user.password, SAFARI_IPHONE)).status).toBe(200);
      await page.goto("/devices");
      await expect(page.locator("main ul[aria-label] > li")).toHaveCount(2);
      await audit("/devices, two devices");
      // "Log out everywhere" (the last of the end-sessions buttons) with its confirm step open.
      const endSessions = page.locator("section[aria-labelledby=end-sessions]");
      await endSessions.getByRole("button").last().click();
      await expect(endSessions.getByRole("form")).toBeVisible(); // named by its question
      await audit("/devices, log-out-everywhere confirm step");
      await open("/settings/password");
      await open("/settings/security");
      // Two-factor set-up started: the QR code, the setup key and the code field.
      const twoFactor = page.locator("section[aria-labelledby=two-factor-heading]");
      await twoFactor.locator("button[type=submit]").click();
      await expect(twoFactor.locator("[role=img]")).toBeVisible();
      await audit("/settings/security, two-factor set-up");
      await open("/settings/activity");
      await open("/settings/account");
      // Deleting the account: the password, then its modal confirm dialog.
      await page.locator("#delete-account-password").fill(user.password);
      await page.locator("#delete-account-password").press("Enter");
      await expect(page.locator("dialog[open]")).toBeVisible();
      await audit("/settings/account, delete-account dialog");
    });
  }
}
