/**
 * Accounts in the browser: register, sign out, sign in again, wrong passwords, the redirect to
 * /login and back (callbackUrl), and the validation errors of every form (shown next to the field:
 * aria-invalid="true" plus the message as the field's accessible description).
 */
import { deviceRows, errorAlert, expect, expectFieldError, fillSignInForm, PASSWORD, test } from "./fixtures";
import { uniqueEmail } from "../scripts/lib/api-client";

/** Chromium's line for a fetch answered 401, as a failed credentials sign-in may produce. */
const SIGN_IN_REFUSED = /Failed to load resource: the server responded with a status of 401/;

test.describe("registering and signing in", () => {
  test("registering through the form signs the new user in on /devices", async ({ page }) => {
    const email = uniqueEmail("e2e-register");
    await page.goto("/register");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel(/^Name\b/).fill("Ada Lovelace");
    await page.getByRole("button", { name: "Create account", exact: true }).click();

    await expect(page).toHaveURL(/\/devices(\?|$)/);
    await expect(page.getByRole("heading", { name: "Devices", exact: true })).toBeVisible();
    await expect(page.getByRole("banner")).toContainText(email);
    // Signed in for real: exactly one device session, this one.
    await expect(deviceRows(page)).toHaveCount(1);
    await expect(deviceRows(page).first()).toContainText("This device");
  });

  test("sign out ends the session; a wrong password is refused; the right one signs in again", async ({
    page,
    newUser,
    signIn,
    consoleErrors,
  }) => {
    const user = await newUser();
    await signIn(page, user);
    await expect(page.getByRole("banner")).toContainText(user.email);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await page.goto("/devices");
    await expect(page, "/devices after signing out").toHaveURL(/\/login(\?|$)/);

    consoleErrors.allow(SIGN_IN_REFUSED);
    await page.goto("/login");
    await fillSignInForm(page, { email: user.email, password: "not the password" });
    await expect(errorAlert(page)).toContainText(/wrong email or password/i);
    await expect(page).toHaveURL(/\/login(\?|$)/);
    // ...and no session was created behind the error.
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login(\?|$)/);

    await fillSignInForm(page, user);
    await expect(page).toHaveURL(/\/devices(\?|$)/);
    await expect(page.getByRole("heading", { name: "Devices", exact: true })).toBeVisible();
    await expect(page.getByRole("banner")).toContainText(user.email);
  });

  test("a protected page visited signed out sends to /login, and back after signing in (callbackUrl)", async ({
    page,
    newUser,
  }) => {
    const user = await newUser();

    await page.goto("/devices");
    await expect(page).toHaveURL(/\/login\?/);
    expect(new URL(page.url()).searchParams.get("callbackUrl") ?? "").toContain("/devices");
    await fillSignInForm(page, user);
    await expect(page).toHaveURL(/\/devices(\?|$)/);

    // A page other than the default landing page proves the callbackUrl is followed.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await page.goto("/settings/password");
    await expect(page).toHaveURL(/\/login\?/);
    expect(new URL(page.url()).searchParams.get("callbackUrl") ?? "").toContain("/settings/password");
    await fillSignInForm(page, user);
    await expect(page).toHaveURL(/\/settings\/password(\?|$)/);
    await expect(page.getByRole("button", { name: "Change password", exact: true })).toBeVisible();
  });

  test("a callbackUrl to another site is not followed (no open redirect)", async ({ page, newUser, baseURL }) => {
    const user = await newUser();
    await page.goto(`/login?callbackUrl=${encodeURIComponent("https://evil.example/phish")}`);
    await fillSignInForm(page, user);
    await expect(page).toHaveURL(`${baseURL}/devices`);
  });
});

test.describe("validation errors next to the fields", () => {
  test("register: a bad email and a short password are flagged, and fixing them creates the account", async ({
    page,
  }) => {
    await page.goto("/register");
    const email = page.getByLabel("Email", { exact: true });
    const password = page.getByLabel("Password", { exact: true });
    await email.fill("not-an-email");
    await password.fill("short");
    await page.getByRole("button", { name: "Create account", exact: true }).click();

    await expectFieldError(email, /valid email/i);
    await expectFieldError(password, /must be at least 8 characters/i);
    await expect(page).toHaveURL(/\/register(\?|$)/);
    await expect(email, "the email typed is kept").toHaveValue("not-an-email");

    const valid = uniqueEmail("e2e-fixed");
    await email.fill(valid);
    await password.fill(PASSWORD);
    await page.getByRole("button", { name: "Create account", exact: true }).click();
    await expect(page).toHaveURL(/\/devices(\?|$)/);
    await expect(page.getByRole("banner")).toContainText(valid);
  });

  test("sign in: empty fields are flagged", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    await expectFieldError(page.getByLabel("Email", { exact: true }), /required/i);
    await expectFieldError(page.getByLabel("Password", { exact: true }), /required/i);
    await expect(page).toHaveURL(/\/login(\?|$)/);
  });

  test("change password: a too-short new password is flagged and the password stays the same", async ({
    page,
    newUser,
    signIn,
    api,
  }) => {
    const user = await newUser();
    await signIn(page, user);
    await page.goto("/settings/password");
    await page.getByLabel("Current password", { exact: true }).fill(user.password);
    await page.getByLabel("New password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Change password", exact: true }).click();

    await expectFieldError(page.getByLabel("New password", { exact: true }), /must be at least 8 characters/i);
    await expect(page.getByText(/password changed/i)).toHaveCount(0);
    expect((await api.signIn(user.email, user.password)).status, "the old password still works").toBe(200);
    expect((await api.signIn(user.email, "short")).status, "the rejected one does not").toBe(400);
  });
});
