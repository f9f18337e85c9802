/**
 * Changing the password (/settings/password) with two devices: a wrong current password changes
 * nothing; the right one keeps this browser signed in, moves the other device to /login by itself
 * with a "signed out" notice, and from then on only the new password signs in.
 */
import { deviceRows, errorAlert, expect, expectSignedOut, fillSignInForm, test } from "./fixtures";

const NEW_PASSWORD = "a brand new passphrase";

test("a password change signs out the other devices, not this one, and only the new password works", async ({
  newUser,
  signedIn,
  consoleErrors,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const phone = await signedIn("phone", user);
  const page = laptop.page;
  const current = page.getByLabel("Current password", { exact: true });
  const next = page.getByLabel("New password", { exact: true });
  const submit = page.getByRole("button", { name: "Change password", exact: true });
  await page.goto("/settings/password");

  // Wrong current password: an error, and nothing else happens.
  await current.fill("not my password");
  await next.fill(NEW_PASSWORD);
  await submit.click();
  await expect(errorAlert(page)).toContainText(/wrong/i);
  await expect(page.getByText(/password changed/i)).toHaveCount(0);
  await phone.page.reload();
  await expect(phone.page, "the other device after a failed change").toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(phone.page)).toHaveCount(2);

  // The right one.
  await current.fill(user.password);
  await next.fill(NEW_PASSWORD);
  await submit.click();
  await expect(page.getByText(/password changed/i).first()).toBeVisible();

  await expectSignedOut(phone.page); // untouched since its reload
  await expect(page, "this browser is not sent away").toHaveURL(/\/settings\/password(\?|$)/);
  await page.goto("/devices");
  await expect(page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(page)).toHaveCount(1);
  await expect(deviceRows(page).first()).toContainText("This device");

  // Old password refused, new one accepted (on the device that was signed out).
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/);
  await phone.page.goto("/login");
  await fillSignInForm(phone.page, user);
  await expect(errorAlert(phone.page)).toContainText(/wrong email or password/i);
  await expect(phone.page).toHaveURL(/\/login(\?|$)/);
  await fillSignInForm(phone.page, { email: user.email, password: NEW_PASSWORD });
  await expect(phone.page).toHaveURL(/\/devices(\?|$)/);
  await expect(deviceRows(phone.page)).toHaveCount(2);
});
