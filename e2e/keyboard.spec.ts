/**
 * The main flows from the keyboard alone: after `page.goto`, only Tab, Shift+Tab, Enter and typing
 * (no click, no fill). At each step the control that should have focus has it, with the focus ring
 * showing (`:focus-visible`), and the outcome is the same as with a mouse: signed in, the other
 * device sent to /login by itself, the password changed.
 */
import type { Locator, Page } from "@playwright/test";
import { deviceRows, expect, expectSignedOut, safariRow, test, type User } from "./fixtures";

const NEW_PASSWORD = "typed without a mouse";

/** Presses `key` (Tab or Shift+Tab) until `target` has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { max = 25, key = "Tab" } = {}): Promise<void> {
  for (let presses = 0; presses < max; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expectFocusVisible(target);
}

/** `target` has focus and shows it: the keyboard's focus ring (`:focus-visible`) with an outline. */
async function expectFocusVisible(target: Locator): Promise<void> {
  await expect(target).toBeFocused();
  const ring = await target.evaluate((element) => ({
    focusVisible: element.matches(":focus-visible"),
    outline: getComputedStyle(element).outlineStyle,
  }));
  expect(ring, "a visible focus ring").toEqual({ focusVisible: true, outline: "solid" });
}

/** /login from the keyboard: Tab to the email field, type, Tab to the password, type, Enter. */
async function signInWithKeyboard(page: Page, user: User): Promise<void> {
  await page.goto("/login");
  const email = page.getByLabel("Email", { exact: true });
  const password = page.getByLabel("Password", { exact: true });
  await tabTo(page, email);
  await expectFocusVisible(email);
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await expectFocusVisible(password);
  // Back and forth: Shift+Tab returns to the email field, which kept what was typed.
  await page.keyboard.press("Shift+Tab");
  await expectFocusVisible(email);
  await expect(email).toHaveValue(user.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(user.password);
  await page.keyboard.press("Tab");
  await expectFocusVisible(page.getByRole("button", { name: "Sign in", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/devices(\?|$)/);
}

/** A signed-in page: Tab lands on "Skip to content" first, and Enter takes the next Tab into <main>. */
async function skipToContent(page: Page): Promise<void> {
  await page.keyboard.press("Tab");
  await expectFocusVisible(page.getByRole("link", { name: "Skip to content" }));
  await page.keyboard.press("Enter");
}

test("sign in from /login with the keyboard only", async ({ newUser, device }) => {
  const user = await newUser();
  const { page } = await device("laptop");
  await signInWithKeyboard(page, user);
  await expect(deviceRows(page)).toHaveCount(1);
});

test("log out the other device from /devices with the keyboard only", async ({ newUser, device, signedIn }) => {
  const user = await newUser();
  const phone = await signedIn("phone", user);
  const { page } = await device("laptop");
  await signInWithKeyboard(page, user);

  await page.goto("/devices");
  await expect(deviceRows(page)).toHaveCount(2);
  await skipToContent(page);
  const logOutPhone = safariRow(page).getByRole("button", { name: "Log out", exact: true });
  await tabTo(page, logOutPhone);
  await expectFocusVisible(logOutPhone);
  await page.keyboard.press("Enter");

  await expectSignedOut(phone.page); // the phone's page is not touched
  await expect(deviceRows(page)).toHaveCount(1);
  await expect(deviceRows(page).first()).toContainText("This device");
  await expect(page).toHaveURL(/\/devices(\?|$)/);
  // The focused button went with its row: focus moves to the outcome (read out, not lost on <body>),
  // and the next Tab goes on from there, not from the top.
  await expect(page.locator(":focus")).toHaveText("That device was logged out.");
  await page.keyboard.press("Tab");
  await expectFocusVisible(page.getByRole("button", { name: "Log out everywhere", exact: true }));
});

test("change the password on /settings/password with the keyboard only", async ({ newUser, device, api }) => {
  const user = await newUser();
  const { page } = await device("laptop");
  await signInWithKeyboard(page, user);

  await page.goto("/settings/password");
  await skipToContent(page);
  const current = page.getByLabel("Current password", { exact: true });
  const next = page.getByLabel("New password", { exact: true });
  const submit = page.getByRole("button", { name: "Change password", exact: true });
  await page.keyboard.press("Tab");
  await expectFocusVisible(current); // the first control of <main>
  await page.keyboard.type(user.password);
  await page.keyboard.press("Tab");
  await expectFocusVisible(next);
  await page.keyboard.type(NEW_PASSWORD);
  await page.keyboard.press("Tab");
  await expectFocusVisible(submit);
  await page.keyboard.press("Enter");

  await expect(page.getByText(/password changed/i).first()).toBeVisible();
  await expect(page, "this browser stays signed in").toHaveURL(/\/settings\/password(\?|$)/);
  expect((await api.signIn(user.email, NEW_PASSWORD)).status, "the new password signs in").toBe(200);
  expect((await api.signIn(user.email, user.password)).body, "the old one no longer does").toMatchObject({
    error: "invalid_grant",
  });
});
