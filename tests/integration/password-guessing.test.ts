import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { actionForm, builtServerActions, postAction } from "../support/server-actions";

/**
 * Guessing the current password with a stolen access token or browser session: wrong current
 * passwords spend the same per-account budget as wrong sign-ins (real limits, RATE_LIMIT_SCALE=1:
 * 5 failures per account and address), so the guessing stops and sign-in is locked as well.
 * Every request comes from this machine, one address.
 */
let testApp: TestApp;
let api: Api;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  testApp = await startTestApp("password-guessing", { RATE_LIMIT_SCALE: "1" });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

async function newAccount(label: string) {
  const email = uniqueEmail(label);
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  return email;
}

describe("guessing the current password", () => {
  it("through the API: 429 + Retry-After after the sign-in failure budget, the right password refused too, sign-in locked", async () => {
    const email = await newAccount("stolen-token");
    const stolen = await api.device(email, PASSWORD);
    for (let i = 0; i < 5; i++) {
      const wrong = await api.changePassword(stolen.access_token, `guess number ${i}`, "the attacker's choice");
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ error: "invalid_grant" });
    }

    const right = await api.changePassword(stolen.access_token, PASSWORD, "the attacker's choice");
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({
      error: "rate_limited",
      error_description: expect.stringMatching(/too many attempts/i),
    });
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);

    const signIn = await api.call("POST", "/api/auth/token", {
      form: { grant_type: "password", username: email, password: PASSWORD },
    });
    expect(signIn.status).toBe(429);
    expect(Number(signIn.headers.get("retry-after"))).toBeGreaterThan(0);

    // The password did not change: the token still works, and the old password is still the one.
    expect((await api.me(stolen.access_token)).status).toBe(200);
  });

  it("through the page's server action: the form says why, and the budget is the same one", async () => {
    const email = await newAccount("stolen-cookie");
    const browser = await browserSignIn(testApp.app.url, email, PASSWORD);
    expect(browser.status).toBe(200);
    const action = builtServerActions().find((a) => a.name === "changePasswordAction");
    expect(action?.pages).toContain("/settings/password");
    const change = (currentPassword: string) =>
      postAction(
        testApp.app.url,
        "/settings/password",
        action!.id,
        actionForm({ currentPassword, newPassword: "the attacker's choice" }),
        { cookie: cookieHeader(browser.cookies) },
      );

    for (let i = 0; i < 5; i++) {
      const wrong = await change(`guess number ${i}`);
      expect(wrong.status).toBe(200);
      expect(wrong.text).toMatch(/current password is wrong/i);
    }
    const right = await change(PASSWORD);
    expect(right.status).toBe(200);
    expect(right.text).toMatch(/too many attempts/i);
    expect(right.text).not.toMatch(/password changed/i);

    const signIn = await api.call("POST", "/api/auth/token", {
      form: { grant_type: "password", username: email, password: PASSWORD },
    });
    expect(signIn.status).toBe(429);
  });
});
