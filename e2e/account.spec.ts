/**
 * Account recovery, verified email, email change and deletion in the browser, with the
 * mail the app really sent over SMTP (captured by e2e/global-setup.ts, read through e2e/mail.ts).
 */
import { errorAlert, expect, expectFieldError, fillSignInForm, test, type Device } from "./fixtures";
import { linkMailedTo } from "./mail";
import { uniqueEmail } from "../scripts/lib/api-client";

const NEW_PASSWORD = "a fresh passphrase after the reset";

/**
 * Opens an emailed link: the page answers with `Referrer-Policy: no-referrer` and takes the token
 * out of the address bar. Answers the requests made from then on (other than opening the link) that carried the token in
 * their address or a header (e.g. a server action posted to the address still holding it): the
 * test expects none.
 */
async function openLink(device: Device, url: string, page: string): Promise<string[]> {
  const token = new URL(url).searchParams.get("token")!;
  const leaks: string[] = [];
  device.page.on("request", (request) => {
    if (request.isNavigationRequest() && request.url() === url) return; // the test opening the link
    const where = [request.url(), ...Object.values(request.headers())];
    if (where.some((text) => text.includes(token))) leaks.push(`${request.method()} ${request.url()}`);
  });
  const response = await device.page.goto(url);
  expect(response?.headers()["referrer-policy"], `Referrer-Policy of /${page}`).toBe("no-referrer");
  await expect(device.page, "the token is taken out of the address bar").toHaveURL(new RegExp(`/${page}$`));
  return leaks;
}

test("forgot password: the mailed link resets it, every browser is signed out at once, the new password works", async ({
  newUser,
  signedIn,
  device,
  consoleErrors,
}) => {
  const user = await newUser();
  const phone = await signedIn("phone", user);
  const laptop = await device("laptop");
  const page = laptop.page;

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  const email = page.getByLabel("Email", { exact: true });
  const send = page.getByRole("button", { name: "Send reset link", exact: true });

  // An address nobody uses gets the same answer.
  await email.fill(uniqueEmail("nobody"));
  await send.click();
  await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toBeVisible();

  const since = Date.now();
  await email.fill(user.email);
  await send.click();
  await expect(
    page.getByRole("status").filter({ hasText: `Check your email. If an account uses ${user.email}` }),
  ).toBeVisible();
  const link = await linkMailedTo(user.email, "reset-password", since);

  const leaks = await openLink(laptop, link.url, "reset-password");
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Reset password", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?reason=password_reset$/);
  expect(leaks, "requests that carried the token after the page read it").toEqual([]);
  await expect(page.getByText("Your password was reset")).toBeVisible();

  // The other browser was pushed out by itself, within two seconds of the reset.
  await expect(phone.page, "the signed-in phone is moved to /login").toHaveURL(/\/login(\?|$)/, { timeout: 2_000 });
  await expect(phone.page.getByText("Your password was reset")).toBeVisible();

  // The link works once.
  await openLink(laptop, link.url, "reset-password");
  await page.getByLabel("New password", { exact: true }).fill("yet another passphrase");
  await page.getByRole("button", { name: "Reset password", exact: true }).click();
  await expect(errorAlert(page)).toContainText("invalid, was already used or has expired");
  await expect(errorAlert(page).getByRole("link", { name: "Ask for a new link" })).toHaveAttribute(
    "href",
    "/forgot-password",
  );

  // A link without its token says so, with the same way out.
  await page.goto("/reset-password");
  await expect(errorAlert(page)).toContainText("This link is incomplete");
  await expect(errorAlert(page).getByRole("link", { name: "Ask for a new link" })).toBeVisible();

  // Only the new password signs in.
  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/);
  await page.goto("/login");
  await fillSignInForm(page, user);
  await expect(errorAlert(page)).toContainText(/wrong email or password/i);
  await fillSignInForm(page, { email: user.email, password: NEW_PASSWORD });
  await expect(page).toHaveURL(/\/devices(\?|$)/);
});

test("email verification: the banner until the mailed link is used, then gone without signing in again", async ({
  newUser,
  signedIn,
  device,
}) => {
  const user = await newUser();
  const laptop = await signedIn("laptop", user);
  const page = laptop.page;
  const banner = page.getByRole("region", { name: "Email verification" });
  await expect(banner).toContainText("is not verified");

  // A fresh link replaces the one sent at registration.
  const first = await linkMailedTo(user.email, "verify-email");
  const since = Date.now();
  await banner.getByRole("button", { name: "Resend verification email", exact: true }).click();
  await expect(banner.getByRole("status")).toContainText("Verification email sent");
  const fresh = await linkMailedTo(user.email, "verify-email", since);
  expect(fresh.token).not.toBe(first.token);

  const other = await device("phone");
  await openLink(other, first.url, "verify-email");
  await expect(errorAlert(other.page)).toContainText("invalid, was already used or has expired");

  const leaks = await openLink(laptop, fresh.url, "verify-email");
  await expect(page.getByText("Email verified")).toBeVisible();
  expect(leaks, "requests that carried the token after the page read it").toEqual([]);
  await page.getByRole("link", { name: "Continue to your devices" }).click();
  await expect(page).toHaveURL(/\/devices(\?|$)/);
  await expect(page.getByRole("region", { name: "Email verification" })).toHaveCount(0);
});

test("email change: the link mailed to the new address moves the account, which then signs in with it", async ({
  newUser,
  signedIn,
}) => {
  const user = await newUser();
  const newEmail = uniqueEmail("moved");
  const laptop = await signedIn("laptop", user);
  const page = laptop.page;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/settings\/account$/);
  const form = page.getByRole("form", { name: "Change email" });
  const password = form.getByLabel("Password", { exact: true });

  await form.getByLabel("New email", { exact: true }).fill(newEmail);
  await password.fill("not my password");
  await form.getByRole("button", { name: "Change email", exact: true }).click();
  await expectFieldError(password, /password is wrong/i);
  await expect(password).toBeFocused();

  const since = Date.now();
  await password.fill(user.password);
  await form.getByRole("button", { name: "Change email", exact: true }).click();
  await expect(form.getByRole("status")).toContainText(`We sent a link to ${newEmail}`);
  await expect(form.getByRole("status")).toContainText("nothing changes");

  const link = await linkMailedTo(newEmail, "verify-email", since);
  const leaks = await openLink(laptop, link.url, "verify-email");
  await expect(page.getByText("Email verified")).toBeVisible();
  expect(leaks, "requests that carried the token after the page read it").toEqual([]);
  await expect(page.getByText(`Your account's email address is now ${newEmail}`)).toBeVisible();

  // This browser's session now carries the new address.
  await page.goto("/devices");
  await expect(page.getByRole("banner")).toContainText(newEmail);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?reason=logout$/);
  await fillSignInForm(page, { email: newEmail, password: user.password });
  await expect(page).toHaveURL(/\/devices(\?|$)/);
});

test("account deletion: password, then confirmation; every browser is signed out and the address is free again", async ({
  newUser,
  signedIn,
  consoleErrors,
}) => {
  const user = await newUser();
  const phone = await signedIn("phone", user);
  const laptop = await signedIn("laptop", user);
  const page = laptop.page;
  await page.goto("/settings/account");
  const form = page.getByRole("form", { name: "Delete account" });
  const password = form.getByLabel("Password", { exact: true });
  const deleteButton = form.getByRole("button", { name: "Delete account", exact: true });
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });

  // A wrong password: the dialog closes and the field says why.
  await password.fill("not my password");
  await deleteButton.click();
  await dialog.getByRole("button", { name: "Yes, delete my account", exact: true }).click();
  await expectFieldError(password, /password is wrong/i);
  await expect(dialog).toBeHidden();

  // Cancel changes nothing.
  await password.fill(user.password);
  await deleteButton.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/\/settings\/account$/);

  await deleteButton.click();
  await dialog.getByRole("button", { name: "Yes, delete my account", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?reason=account_deleted$/);
  await expect(page.getByText("Your account was deleted")).toBeVisible();
  await expect(phone.page, "the other browser is moved to /login").toHaveURL(/\/login(\?|$)/, { timeout: 2_000 });
  await expect(phone.page.getByText("Your account was deleted")).toBeVisible();

  consoleErrors.allow(/Failed to load resource: the server responded with a status of 401/);
  await fillSignInForm(page, user);
  await expect(errorAlert(page)).toContainText(/wrong email or password/i);
  await newUser({ email: user.email });
});
