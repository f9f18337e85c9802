/**
 * The devices page, one browser context per device: every device sees every session and knows
 * which one is itself; logging out one device, all the others or everywhere moves the affected
 * browsers to /login by themselves (no click, no reload) within ~5 s with a "signed out" notice,
 * while the others keep working. Devices: laptop = Chrome on macOS, phone = Mobile Safari on iOS,
 * desktop = Firefox on Windows (see DEVICES in fixtures.ts).
 */
import { chromeRow, clickAndConfirm, DEVICES, deviceRows, expect, expectSignedOut, safariRow, test } from "./fixtures";

test('each device lists both sessions and marks its own row "This device"', async ({ newUser, signedIn }) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);
  await laptop.page.reload(); // the laptop signed in before the phone existed

  for (const { page } of [laptop, phone]) {
    await expect(deviceRows(page)).toHaveCount(2);
    await expect(chromeRow(page)).toHaveCount(1);
    await expect(safariRow(page)).toHaveCount(1);
    await expect(deviceRows(page).filter({ hasText: "This device" })).toHaveCount(1);
  }
  await expect(chromeRow(laptop.page)).toContainText("This device");
  await expect(safariRow(laptop.page)).not.toContainText("This device");
  await expect(safariRow(phone.page)).toContainText("This device");
  await expect(chromeRow(phone.page)).not.toContainText("This device");

  // On the phone's 390 px, nothing (the header's five links above all) pushes the page sideways.
  // (A mobile browser widens its layout viewport to what overflows: compare with the screen's width.)
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "page width on the phone").toBeLessThanOrEqual(DEVICES.phone.viewport.width);
});

test("logging out another device sends it to /login by itself; this one stays", async ({ newUser, signedIn }) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);
  await laptop.page.reload();
  await expect(deviceRows(laptop.page)).toHaveCount(2);

  // The phone row's own button (not "Log out other devices" / "Log out everywhere").
  await safariRow(laptop.page).getByRole("button", { name: "Log out", exact: true }).click();

  await expectSignedOut(phone.page); // the phone page is not touched
  await expect(deviceRows(laptop.page)).toHaveCount(1);
  await expect(deviceRows(laptop.page).first()).toContainText("This device");
  await expect(laptop.page).toHaveURL(/\/devices(\?|$)/);

  // Still true after a reload on both sides.
  await laptop.page.reload();
  await expect(laptop.page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(laptop.page)).toHaveCount(1);
  await phone.page.goto("/devices");
  await expect(phone.page).toHaveURL(/\/login(\?|$)/);
});

test('"Log out other devices", once confirmed, signs out every other device but not this one', async ({
  newUser,
  signedIn,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);
  const desktop = await signedIn("desktop", user);
  await laptop.page.reload();
  await expect(deviceRows(laptop.page)).toHaveCount(3);

  await clickAndConfirm(laptop.page, "Log out other devices");

  await expectSignedOut(phone.page);
  await expectSignedOut(desktop.page);
  await expect(laptop.page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(laptop.page)).toHaveCount(1);
  await expect(chromeRow(laptop.page)).toContainText("This device");
  await laptop.page.reload();
  await expect(laptop.page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(laptop.page)).toHaveCount(1);
});

test('"Log out other devices" does nothing until confirmed', async ({ newUser, signedIn }) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);
  await laptop.page.reload();

  await laptop.page.getByRole("button", { name: "Log out other devices", exact: true }).click();
  await laptop.page
    .getByRole("button", { name: /cancel/i })
    .first()
    .click();

  await phone.page.reload();
  await expect(phone.page).toHaveURL(/\/devices(\?|$)/);
  await laptop.page.reload();
  await expect(deviceRows(laptop.page)).toHaveCount(2);
});

test('"Log out everywhere", once confirmed, signs out the other device and this one', async ({ newUser, signedIn }) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);
  await laptop.page.reload();

  await clickAndConfirm(laptop.page, "Log out everywhere");

  await expectSignedOut(phone.page);
  await expectSignedOut(laptop.page);
  for (const { page } of [laptop, phone]) {
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login(\?|$)/);
  }
});

test("two tabs of one browser: signing out in one moves the other to /login by itself", async ({
  newUser,
  signedIn,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const tab1 = laptop.page;
  const tab2 = await laptop.context.newPage();
  await tab2.goto("/devices");
  await expect(tab2.getByRole("heading", { name: "Devices", exact: true })).toBeVisible(); // same cookies: signed in

  await tab1.getByRole("button", { name: "Sign out", exact: true }).click();

  await expect(tab1).toHaveURL(/\/login(\?|$)/);
  await expect(tab2, "the other tab, untouched").toHaveURL(/\/login(\?|$)/, { timeout: 5_000 });
  await expect(tab2.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});
