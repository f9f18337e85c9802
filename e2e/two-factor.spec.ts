/**
 * Two-factor authentication in the browser: set-up on the Security page (the code computed with
 * otplib from the "Setup key" the page shows), the recovery codes shown once, and sign-in with
 * "Code" + "Verify" and with "Use a recovery code". The mfa token of the second step lives only in
 * an HttpOnly cookie: never in document.cookie, Web Storage, a URL or the page.
 */
import { generateSync } from "otplib";
import type { BrowserContext, Page } from "@playwright/test";
import { errorAlert, expect, fillSignInForm, test } from "./fixtures";

/** next-auth answers a refused sign-in step (the password step asking for a code, a wrong code) with a 401. */
const SIGN_IN_REFUSED = /Failed to load resource: the server responded with a status of 401/;

/** The code an authenticator app shows for `secret`, `offsetSeconds` from now. */
const code = (secret: string, offsetSeconds = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

async function mfaCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name.endsWith("rjs.mfa-token"));
}

/** The mfa token is nowhere a script, a URL or the page's markup can reach. */
async function expectTokenHidden(page: Page, token: string) {
  const visible = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    url: location.href,
    html: document.documentElement.outerHTML,
  }));
  for (const [where, text] of Object.entries(visible)) expect(text, where).not.toContain(token);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login(\?|$)/);
}

test("set up TOTP, then sign in with a code and with a recovery code", async ({ newUser, signedIn, consoleErrors }) => {
  test.slow(); // a set-up and three sign-ins: more than the default 30 s on a busy machine
  consoleErrors.allow(SIGN_IN_REFUSED);
  const user = await newUser();
  const { page, context } = await signedIn("laptop", user);
  const requested: string[] = []; // every address the browser asked for: no mfa token may be in one
  page.on("request", (request) => requested.push(request.url()));
  const mfaTokens: string[] = [];

  await page.goto("/settings/security");
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await expect(section.getByRole("heading", { level: 2, name: "Two-factor authentication" })).toBeVisible();
  await section.getByRole("button", { name: "Set up", exact: true }).click();
  await expect(section.getByRole("img", { name: /QR code/ }).locator("svg")).toBeVisible();
  const secret = (await section.getByLabel("Setup key").innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  const codeField = section.getByLabel("Code", { exact: true });
  await codeField.fill(String((Number(code(secret)) + 500_000) % 1_000_000).padStart(6, "0"));
  await section.getByRole("button", { name: "Turn on", exact: true }).click();
  await expect(codeField).toHaveAttribute("aria-invalid", "true");
  await expect(section).toContainText("The code is wrong");
  await codeField.fill(code(secret));
  await section.getByRole("button", { name: "Turn on", exact: true }).click();

  const codes = section.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allInnerTexts();
  for (const recoveryCode of recoveryCodes) expect(recoveryCode).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
  await section.getByRole("button", { name: "I have saved these codes" }).click();
  await expect(section).toContainText("Two-factor authentication is on");
  await expect(section).toContainText("10 recovery codes are left.");
  await expect(section.getByRole("list", { name: "Recovery codes" })).toHaveCount(0);

  // Sign in again: the password, then the code of the next step (the set-up used this one).
  await signOut(page);
  await fillSignInForm(page, user);
  const loginCode = page.getByLabel("Code", { exact: true });
  await expect(loginCode).toBeFocused();
  await expect(page).toHaveURL(/\/login(\?|$)/);
  const cookie = await mfaCookie(context);
  expect(cookie, "the mfa token's cookie").toBeTruthy();
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
  expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  mfaTokens.push(cookie!.value);
  await expectTokenHidden(page, cookie!.value);

  await loginCode.fill("000000" === code(secret, 30) ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(loginCode).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#code-error")).toContainText("The code is wrong");
  await loginCode.fill(code(secret, 30));
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page).toHaveURL(/\/devices(\?|$)/);
  expect(await mfaCookie(context), "cleared after the second step").toBeUndefined();

  // And with a recovery code, typed in capitals.
  await signOut(page);
  await fillSignInForm(page, user);
  await page.getByRole("link", { name: "Use a recovery code" }).click();
  const recoveryField = page.getByLabel("Recovery code", { exact: true });
  await expect(recoveryField).toBeFocused();
  mfaTokens.push((await mfaCookie(context))!.value);
  await expectTokenHidden(page, mfaTokens[1]!);
  await recoveryField.fill(recoveryCodes[0]!.toUpperCase());
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page).toHaveURL(/\/devices(\?|$)/);

  await page.goto("/settings/security");
  await expect(section).toContainText("9 recovery codes are left.");
  await expect(errorAlert(page)).toHaveCount(0);
  expect(new Set(mfaTokens).size).toBe(2);
  for (const token of mfaTokens) expect(requested.filter((url) => url.includes(token))).toEqual([]);
  expect(requested.length).toBeGreaterThan(10);
});

test("turning TOTP off needs the password; then the password alone signs in", async ({
  newUser,
  signedIn,
  consoleErrors,
}) => {
  consoleErrors.allow(SIGN_IN_REFUSED);
  const user = await newUser();
  const { page } = await signedIn("laptop", user);
  await page.goto("/settings/security");
  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await section.getByRole("button", { name: "Set up", exact: true }).click();
  const secret = (await section.getByLabel("Setup key").innerText()).replace(/\s+/g, "");
  await section.getByLabel("Code", { exact: true }).fill(code(secret));
  await section.getByRole("button", { name: "Turn on", exact: true }).click();
  await section.getByRole("button", { name: "I have saved these codes" }).click();

  const password = section.getByLabel("Password", { exact: true });
  await password.fill("not the password");
  await section.getByRole("button", { name: "Turn off", exact: true }).click();
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(section).toContainText("The password is wrong.");
  await password.fill(user.password);
  await section.getByRole("button", { name: "Turn off", exact: true }).click();
  await expect(section.getByRole("button", { name: "Set up", exact: true })).toBeVisible();

  await signOut(page);
  await fillSignInForm(page, user);
  await expect(page).toHaveURL(/\/devices(\?|$)/);
});
