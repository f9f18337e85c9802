/**
 * Security activity and new-device alerts, one browser context per device (laptop = Chrome on
 * macOS, desktop = Firefox on Windows; see DEVICES in fixtures.ts): a sign-in from a new device
 * is announced on the other signed-in browser without a reload; /settings/activity lists what
 * happened, who did it and when, and pages with plain links that work from the keyboard.
 */
import type { Locator, Page } from "@playwright/test";
import { CHROME_MAC } from "../scripts/lib/api-client";
import { deviceRows, expect, expectSignedOut, signIn, test } from "./fixtures";

function activityEvents(page: Page): Locator {
  return page.getByRole("list", { name: "Security events" }).getByRole("listitem");
}

/** Presses Tab until `target` has the focus (fails after `max` presses): keyboard users can reach it. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

test("a sign-in from a new device is announced on the other browser without a reload, with a way to act on it", async ({
  newUser,
  device,
}) => {
  const user = await newUser();
  const laptop = await device("laptop");
  const stream = laptop.page.waitForResponse((res) => res.url().endsWith("/api/session/events"));
  await signIn(laptop.page, user); // the account's first device: no alert
  await stream;
  await laptop.page.evaluate(() => Object.assign(window, { __notReloaded: true }));

  const desktop = await device("desktop");
  await signIn(desktop.page, user);

  const notice = laptop.page.getByRole("alert").filter({ hasText: "New sign-in from Firefox on Windows" });
  await expect(notice).toBeVisible({ timeout: 5_000 });
  await expect(notice).toContainText("(IP 127.0.0.1). Not you?");
  expect(await laptop.page.evaluate(() => "__notReloaded" in window), "the laptop page was not reloaded").toBe(true);
  await expect(notice.getByRole("link", { name: "Review your devices" })).toHaveAttribute("href", "/devices");
  // The browser that signed in is not told about itself.
  await expect(desktop.page.getByRole("alert").filter({ hasText: "New sign-in" })).toHaveCount(0);

  // Dismissed from the keyboard.
  await notice.getByRole("button", { name: /^Dismiss/ }).focus();
  await laptop.page.keyboard.press("Enter");
  await expect(notice).toHaveCount(0);
});

test('the activity page lists the sign-ins and a log-out of the other device "by you, from this device"', async ({
  newUser,
  signedIn,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const desktop = await signedIn("desktop", user);
  await laptop.page.reload();
  await deviceRows(laptop.page)
    .filter({ hasText: "Firefox" })
    .getByRole("button", { name: "Log out", exact: true })
    .click();
  await expectSignedOut(desktop.page);

  await laptop.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
  await expect(laptop.page).toHaveURL(/\/settings\/activity$/);
  await expect(laptop.page.getByRole("heading", { level: 1, name: "Security activity" })).toBeVisible();
  await expect(laptop.page.getByRole("link", { name: "Activity" })).toHaveAttribute("aria-current", "page");

  const events = activityEvents(laptop.page);
  await expect(events).toHaveCount(4);
  await expect(events.nth(0)).toContainText("Device logged out");
  await expect(events.nth(0)).toContainText("Firefox on Windows · IP 127.0.0.1");
  await expect(events.nth(0)).toContainText("By you, from this device");
  await expect(events.nth(1)).toContainText("Signed in from a new device");
  await expect(events.nth(1)).toContainText("Firefox on Windows");
  await expect(events.nth(2)).toContainText("Signed in");
  await expect(events.nth(2)).toContainText("Chrome on macOS (this device)");
  await expect(events.nth(3)).toContainText("Account created");
  // When: relative words, with the exact moment machine-readable.
  const when = events.nth(0).locator("time");
  await expect(when).toHaveText(/just now|minute/);
  await expect(when).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  await expect(laptop.page.getByRole("navigation", { name: "Pagination" })).toHaveCount(0);
});

test("the Older and Newer links page through the activity from the keyboard", async ({ newUser, signedIn, api }) => {
  test.setTimeout(60_000); // 20 sign-ins (argon2 each) before the browser even starts
  const user = await newUser();
  // 20 sign-ins with the laptop's User-Agent (no new-device alert) + its own + the account: 22 events.
  for (let i = 0; i < 20; i++) await api.device(user.email, user.password, CHROME_MAC);
  const laptop = await signedIn("laptop", user);
  const { page } = laptop;
  await page.goto("/settings/activity");

  const events = activityEvents(page);
  const pagination = page.getByRole("navigation", { name: "Pagination" });
  await expect(events).toHaveCount(20);
  await expect(events.first()).toContainText("(this device)");
  await expect(pagination.getByRole("link", { name: "Newer" })).toHaveCount(0);

  await tabTo(page, pagination.getByRole("link", { name: "Older" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings\/activity\?cursor=[A-Za-z0-9_-]+$/);
  await expect(events).toHaveCount(2);
  await expect(events.last()).toContainText("Account created");
  await expect(pagination.getByRole("link", { name: "Older" })).toHaveCount(0);

  await tabTo(page, pagination.getByRole("link", { name: "Newer" }));
  await page.keyboard.press("Enter");
  await expect(events).toHaveCount(20);
  await expect(events.first()).toContainText("(this device)");
  await expect(pagination.getByRole("link", { name: "Newer" })).toHaveCount(0);

  // A damaged link is a readable message, not an error page.
  await page.goto("/settings/activity?cursor=bogus");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This page link is not valid");
  await page.getByRole("link", { name: "Show the latest activity" }).click();
  await expect(events).toHaveCount(20);
});
