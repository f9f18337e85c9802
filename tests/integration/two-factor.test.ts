/**
 * Two-factor sign-in (TOTP and recovery codes) over HTTP, as a mobile app calls it, with codes
 * computed by otplib from the secret the API hands out and the mail taken from a real SMTP server
 * (scripts/lib/mail-capture.ts). Storage follows DATABASE_URL / REDIS_URL. Expiry (set-up, challenge)
 * is proven in the engine's unit tests (a fake clock).
 *
 * A time step is never accepted twice: an account turned on with the code of step S signs in with
 * the code of the next step (S+1, within the one-step tolerance), computed just before it is sent.
 */
import { decodeJwt } from "jose";
import { generateSync } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, type ApiResponse, type TokenBody } from "../../scripts/lib/api-client";
import type { MailCapture } from "../../scripts/lib/mail-capture";
import type { TestApp } from "../../scripts/lib/test-app";
import { startAccountApps, withOldAuthTime, type AccountApps } from "../support/account-api";

const PASSWORD = "correct horse battery";
/** REAUTH_MAX_AGE_SECONDS's default: a sign-in older than this needs the password again. */
const REAUTH_MAX_AGE_SECONDS = 600;

let apps: AccountApps;
let capture: MailCapture;
let testApp: TestApp;
let limitsApp: TestApp;
let api: Api;
let account: AccountApps["account"];

beforeAll(async () => {
  // Info level: every auth event is logged, and none may carry an mfa token or a code (last test).
  apps = await startAccountApps("totp", { app: { LOG_LEVEL: "info" } });
  ({ capture, testApp, limitsApp, api, account } = apps);
});

afterAll(async () => {
  await apps?.stop();
});

/** The code an authenticator app shows for `secret`, `offsetSeconds` from now. */
const code = (secret: string, offsetSeconds = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

function totp(client: Api) {
  return {
    status: (token: string) =>
      client.call<{ enabled: boolean; recoveryCodesLeft: number }>("GET", "/api/account/totp", { token }),
    begin: (token: string, password?: string) =>
      client.call<{ secret: string; otpauthUri: string }>("POST", "/api/account/totp", {
        token,
        json: password === undefined ? {} : { password },
      }),
    confirm: (token: string, code: string) =>
      client.call<{ recoveryCodes: string[] }>("POST", "/api/account/totp/confirm", { token, json: { code } }),
    disable: (token: string, json: Record<string, string>) =>
      client.call("DELETE", "/api/account/totp", { token, json }),
    newCodes: (token: string, password?: string) =>
      client.call<{ recoveryCodes: string[] }>("POST", "/api/account/totp/recovery-codes", {
        token,
        json: password === undefined ? {} : { password },
      }),
    /** The password grant of an account with TOTP on: its 400 body. */
    async passwordStep(email: string, deviceName?: string) {
      const res = await client.signIn(email, PASSWORD, undefined, deviceName);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res as unknown as ApiResponse<{ error: string; error_description: string; mfa_token: string }>;
    },
    otpGrant: (mfaToken: string, otp: string) =>
      client.call<TokenBody>("POST", "/api/auth/token", {
        form: { grant_type: "mfa_otp", mfa_token: mfaToken, otp },
      }),
    recoveryGrant: (mfaToken: string, recoveryCode: string) =>
      client.call<TokenBody>("POST", "/api/auth/token", {
        form: { grant_type: "mfa_recovery_code", mfa_token: mfaToken, recovery_code: recoveryCode },
      }),
  };
}

/** A new account with one device and TOTP turned on: its secret and recovery codes. */
async function accountWithTotp(label: string, client = api) {
  const t = totp(client);
  const email = await apps.newAccount(label, PASSWORD, client);
  const device = await client.device(email, PASSWORD);
  const begun = await t.begin(device.access_token);
  expect(begun.status, JSON.stringify(begun.body)).toBe(200);
  const { secret } = begun.body;
  const confirmed = await t.confirm(device.access_token, code(secret));
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return { email, device, secret, recoveryCodes: confirmed.body.recoveryCodes, t };
}

describe("TOTP over the API", () => {
  it("set-up, confirm, the mfa_required answer, the second step; sessions, claims, mail and activity", async () => {
    const t = totp(api);
    const email = await apps.newAccount("flow", PASSWORD);
    const device = await api.device(email, PASSWORD);

    const begun = await t.begin(device.access_token);
    expect(begun.status).toBe(200);
    const { secret, otpauthUri } = begun.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/Revocable%20Sessions:${encodeURIComponent(email)}?secret=${secret}&issuer=Revocable%20Sessions`,
    );
    // Pending: the password alone still signs in.
    expect((await api.signIn(email, PASSWORD)).status).toBe(200);

    const wrong = await t.confirm(device.access_token, String((Number(code(secret)) + 1) % 1_000_000).padStart(6, "0"));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: "invalid_grant", fields: { code: [expect.any(String)] } });

    const since = Date.now();
    const confirmed = await t.confirm(device.access_token, code(secret));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
    expect((await t.status(device.access_token)).body).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    expect((await t.begin(device.access_token)).status).toBe(409);

    // The token in hand says two_factor false until its next refresh.
    expect((await api.me(device.access_token)).body.user).toMatchObject({ twoFactor: false });
    const refreshed = await api.refresh(device.refresh_token);
    expect((await api.me(refreshed.body.access_token)).body.user).toMatchObject({ twoFactor: true });

    const sessionsBefore = (await api.sessions(refreshed.body.access_token)).body.sessions.length;
    const step = await t.passwordStep(email, "Field phone");
    expect(Object.keys(step.body).sort()).toEqual(["error", "error_description", "mfa_token"]);
    expect(step.body.error).toBe("mfa_required");
    expect(step.body.error_description).toMatch(/code/);
    expect(step.body.mfa_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(step.headers.get("cache-control")).toContain("no-store");
    // No device session before the second step.
    expect((await api.sessions(refreshed.body.access_token)).body.sessions).toHaveLength(sessionsBefore);

    const next = code(secret, 30);
    const done = await t.otpGrant(step.body.mfa_token, next);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(decodeJwt(done.body.access_token)).toMatchObject({ amr: ["pwd", "otp", "mfa"], two_factor: true });
    const sessions = (await api.sessions(refreshed.body.access_token)).body.sessions;
    expect(sessions).toHaveLength(sessionsBefore + 1);
    expect(sessions.find((s) => s.id === done.body.session_id)).toMatchObject({ deviceName: "Field phone" });

    // The mfa token is single use; the same code is refused on a new sign-in too.
    expect((await t.otpGrant(step.body.mfa_token, next)).body).toMatchObject({ error: "invalid_grant" });
    const replay = await t.otpGrant((await t.passwordStep(email)).body.mfa_token, next);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/used/) });

    const mail = await capture.waitFor(email, { subject: /^Two-factor authentication was turned on$/, since });
    expect(mail.text).toContain("/settings/security");
    expect(mail.text).not.toContain(secret);
    expect(await account.activityTypes(done.body.access_token)).toContain("two_factor_enabled");
  });

  it("a recovery code signs in once; new codes void the old ones; mail with the count left, and activity", async () => {
    const { email, device, recoveryCodes, t } = await accountWithTotp("recovery");
    const since = Date.now();
    const first = await t.recoveryGrant((await t.passwordStep(email)).body.mfa_token, recoveryCodes[0]!.toUpperCase());
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(decodeJwt(first.body.access_token)).toMatchObject({ amr: ["pwd", "mfa"] });
    const again = await t.recoveryGrant((await t.passwordStep(email)).body.mfa_token, recoveryCodes[0]!);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: "invalid_grant" });
    expect((await t.status(device.access_token)).body).toEqual({ enabled: true, recoveryCodesLeft: 9 });
    const used = await capture.waitFor(email, { subject: /^A recovery code was used to sign in$/, since });
    expect(used.text).toContain("9 unused codes are left");

    const renewed = await t.newCodes(device.access_token);
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    const old = await t.recoveryGrant((await t.passwordStep(email)).body.mfa_token, recoveryCodes[1]!);
    expect(old.status).toBe(400);
    const fresh = await t.recoveryGrant((await t.passwordStep(email)).body.mfa_token, renewed.body.recoveryCodes[0]!);
    expect(fresh.status).toBe(200);
    await capture.waitFor(email, { subject: /^New recovery codes were made$/, since });
    expect(await account.activityTypes(fresh.body.access_token)).toEqual(
      expect.arrayContaining(["recovery_code_used", "recovery_codes_regenerated", "two_factor_enabled"]),
    );
  });

  it("wrong codes spend the account's sign-in budget: 429 after five, even for the right code", async () => {
    const limited = new Api(limitsApp.app.url);
    const { email, secret, t } = await accountWithTotp("budget", limited);
    const wrong = () => String((Number(code(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    const mfaToken = (await t.passwordStep(email)).body.mfa_token;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await t.otpGrant(mfaToken, wrong())).status);
    // A new password step does not refill the budget.
    const second = (await t.passwordStep(email)).body.mfa_token;
    answers.push((await t.otpGrant(second, wrong())).status);
    expect(answers).toEqual([400, 400, 400, 400, 400]);
    const limitedAnswer = await t.otpGrant(second, code(secret, 30));
    expect(limitedAnswer.status).toBe(429);
    expect(limitedAnswer.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await limited.signIn(email, PASSWORD)).status).toBe(429);
  });

  it("re-authentication: an old sign-in gets 401 insufficient_user_authentication; turning off needs the password", async () => {
    const { email, device, t } = await accountWithTotp("reauth");
    const old = await withOldAuthTime(testApp.env, device.access_token, REAUTH_MAX_AGE_SECONDS + 60);
    for (const res of [await t.newCodes(old)]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: "insufficient_user_authentication" });
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_user_authentication"');
    }
    expect((await t.newCodes(old, PASSWORD)).status).toBe(200);

    const missing = await t.disable(device.access_token, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: "invalid_request", fields: { password: [expect.any(String)] } });
    const wrong = await t.disable(device.access_token, { password: "not the password" });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: "invalid_grant", fields: { password: [expect.any(String)] } });
    expect((await t.status(device.access_token)).body).toMatchObject({ enabled: true });

    const since = Date.now();
    expect((await t.disable(device.access_token, { password: PASSWORD })).status).toBe(204);
    expect((await t.status(device.access_token)).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    const signIn = await api.signIn(email, PASSWORD);
    expect(signIn.status).toBe(200);
    expect(decodeJwt(signIn.body.access_token)).toMatchObject({ amr: ["pwd"], two_factor: false });
    expect((await t.disable(device.access_token, { password: PASSWORD })).status).toBe(409);
    await capture.waitFor(email, { subject: /^Two-factor authentication was turned off$/, since });
    expect(await account.activityTypes(signIn.body.access_token)).toContain("two_factor_disabled");
    // Setting it up again after an old sign-in needs the password too.
    expect((await t.begin(old)).status).toBe(401);
    expect((await t.begin(old, PASSWORD)).status).toBe(200);
  });

  it("concurrent second steps: one code is accepted once, one recovery code once, one mfa token once", async () => {
    const { email, secret, recoveryCodes, t } = await accountWithTotp("race");
    const [first, second, third] = await Promise.all(
      [1, 2, 3].map(async () => (await t.passwordStep(email)).body.mfa_token),
    );
    const next = code(secret, 30);
    const sameCode = await Promise.all([t.otpGrant(first!, next), t.otpGrant(second!, next)]);
    expect(sameCode.map((res) => res.status).sort()).toEqual([200, 400]);

    const loser = sameCode[0]!.status === 400 ? first! : second!;
    const sameRecoveryCode = await Promise.all([
      t.recoveryGrant(loser, recoveryCodes[0]!),
      t.recoveryGrant(third!, recoveryCodes[0]!),
    ]);
    expect(sameRecoveryCode.map((res) => res.status).sort()).toEqual([200, 400]);

    const fourth = (await t.passwordStep(email)).body.mfa_token;
    const sameToken = await Promise.all([
      t.recoveryGrant(fourth, recoveryCodes[1]!),
      t.recoveryGrant(fourth, recoveryCodes[2]!),
    ]);
    expect(sameToken.map((res) => res.status).sort()).toEqual([200, 400]);
  });

  it("a sign-out everywhere between the two steps voids the mfa token", async () => {
    const { email, device, secret, t } = await accountWithTotp("epoch");
    const mfaToken = (await t.passwordStep(email)).body.mfa_token;
    expect((await api.logout(device.access_token, "global")).status).toBe(204);
    const res = await t.otpGrant(mfaToken, code(secret, 30));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/sign in again/i),
    });
  });

  it("bad second-step requests: clear 400s, never a 500", async () => {
    const t = totp(api);
    const noToken = await api.call("POST", "/api/auth/token", { form: { grant_type: "mfa_otp", otp: "123456" } });
    expect(noToken.status).toBe(400);
    expect(noToken.body).toMatchObject({ error: "invalid_request", fields: { mfa_token: [expect.any(String)] } });
    const noCode = await api.call("POST", "/api/auth/token", {
      form: { grant_type: "mfa_recovery_code", mfa_token: "x" },
    });
    expect(noCode.body).toMatchObject({ error: "invalid_request", fields: { recovery_code: [expect.any(String)] } });
    for (const res of [
      await t.otpGrant("A".repeat(43), "123456"),
      await t.otpGrant("not-a-token", "12"),
      await t.recoveryGrant("A".repeat(43), "abcde-fghjk"),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "invalid_grant" });
    }
    const unsupported = await api.call("POST", "/api/auth/token", { form: { grant_type: "mfa_oob" } });
    expect(unsupported.body).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("no mfa token, secret or code in the app's log", async () => {
    const { email, secret, recoveryCodes, t } = await accountWithTotp("log");
    const mfaToken = (await t.passwordStep(email)).body.mfa_token;
    await t.otpGrant(mfaToken, "000000");
    await t.recoveryGrant(mfaToken, recoveryCodes[2]!);
    const log = testApp.app.logs;
    expect(log).toContain("two_factor_enabled");
    for (const secretText of [mfaToken, secret, recoveryCodes[2]!, recoveryCodes[2]!.replace("-", "")]) {
      expect(log).not.toContain(secretText);
    }
  });
});
