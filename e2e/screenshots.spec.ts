/**
 * Not a test: refreshes the README's screenshots in docs/screenshots/ when UPDATE_SCREENSHOTS=1
 * (skipped otherwise). Desktop shots at 1280x800 (laptop: Chrome on macOS), the mobile one at
 * 390x844 (phone: Mobile Safari on iOS), with a user signed in on both so the list shows two rows.
 * The account pages use the links the app mailed to the capturing SMTP server. The devices page is
 * also taken in Simplified Chinese (the language switcher's cookie) and in the dark scheme.
 */
import { execFileSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";
import { deviceRows, expect, test } from "./fixtures";
import { linkMailedTo } from "./mail";

test.skip(process.env.UPDATE_SCREENSHOTS !== "1", "set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots");

/**
 * Where fontconfig answers (Linux), it must know a font with Chinese glyphs, or the Chinese shot and
 * the language switcher's "简体中文" on every page would show empty boxes; a machine without
 * fontconfig (macOS, Windows) has its own. Checked before any image is written.
 */
function assertChineseFont(): void {
  let families: string;
  try {
    families = execFileSync("fc-list", [":lang=zh-cn", "family"], { encoding: "utf8" });
  } catch {
    return;
  }
  if (!families.trim()) {
    throw new Error("no font with Chinese glyphs for Chromium: install one (Debian: apt-get install fonts-noto-cjk)");
  }
}

test("docs screenshots", async ({ newUser, device, signIn, signedIn, baseURL }, testInfo) => {
  assertChineseFont();
  const dir = path.join(
    path.dirname(testInfo.config.configFile ?? path.resolve("playwright.config.ts")),
    "docs",
    "screenshots",
  );
  await mkdir(dir, { recursive: true });
  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, animations: "disabled", caret: "hide" });

  // Each run has a database of its own, so a readable address is free.
  const user = await newUser({ email: "ada@example.com" });
  const laptop = await device("laptop", { viewport: { width: 1280, height: 800 } });
  await laptop.page.goto("/login");
  await expect(laptop.page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await shoot(laptop.page, "login");

  await laptop.page.goto("/forgot-password");
  await laptop.page.getByLabel("Email", { exact: true }).fill(user.email);
  const since = Date.now();
  await laptop.page.getByRole("button", { name: "Send reset link", exact: true }).click();
  await expect(laptop.page.getByText("Check your email")).toBeVisible();
  await shoot(laptop.page, "forgot-password");
  await laptop.page.goto((await linkMailedTo(user.email, "reset-password", since)).url);
  await expect(laptop.page.getByRole("button", { name: "Reset password", exact: true })).toBeEnabled();
  await shoot(laptop.page, "reset-password");

  await signIn(laptop.page, user);
  await expect(laptop.page.getByRole("button", { name: "Resend verification email", exact: true })).toBeVisible();
  await shoot(laptop.page, "unverified-banner");
  await laptop.page.goto((await linkMailedTo(user.email, "verify-email")).url);
  await expect(laptop.page.getByText("Email verified")).toBeVisible();
  await shoot(laptop.page, "verify-email");

  const phone = await signedIn("phone", user);
  await laptop.page.goto("/devices");
  await expect(deviceRows(laptop.page)).toHaveCount(2);
  await shoot(laptop.page, "devices");

  // Found by structure, not by its (translated) name: the list of devices has two rows.
  const rows = laptop.page.locator("main ul[aria-label] > li");
  await laptop.context.addCookies([{ name: "NEXT_LOCALE", value: "zh-CN", url: baseURL! }]);
  await laptop.page.goto("/devices");
  await expect(laptop.page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(rows).toHaveCount(2);
  await shoot(laptop.page, "devices-zh-CN");
  await laptop.context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);

  await laptop.page.emulateMedia({ colorScheme: "dark" });
  await laptop.page.goto("/devices");
  await expect(rows).toHaveCount(2);
  await shoot(laptop.page, "devices-dark");
  await laptop.page.emulateMedia({ colorScheme: "light" });

  await laptop.page.goto("/settings/activity");
  await expect(laptop.page.getByRole("list", { name: "Security events" }).getByRole("listitem").first()).toBeVisible();
  await shoot(laptop.page, "activity");

  await laptop.page.goto("/settings/password");
  await expect(laptop.page.getByRole("button", { name: "Change password", exact: true })).toBeVisible();
  await shoot(laptop.page, "password");

  await laptop.page.goto("/settings/account");
  await expect(laptop.page.getByRole("button", { name: "Change email", exact: true })).toBeVisible();
  await shoot(laptop.page, "account");

  await phone.page.setViewportSize({ width: 390, height: 844 });
  await phone.page.reload();
  await expect(deviceRows(phone.page)).toHaveCount(2);
  await shoot(phone.page, "devices-mobile");
});
