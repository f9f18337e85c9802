import { decodeJwt } from "jose";
import { AccessTokens } from "../../src/core/access-tokens";
import { defaultEngineConfig } from "../../src/core/config";
import { loadKeyRing, type PrivateJwk } from "../../src/core/signing-keys";
import { expect } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { AppServer } from "../../scripts/lib/app-server";
import { usingPostgres } from "../../scripts/lib/databases";
import { CAPTURE_MAIL_FROM, startMailCapture, type MailCapture } from "../../scripts/lib/mail-capture";
import { sharedRedisUrl } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * The account recovery, verification, email change and deletion endpoints, as a client calls
 * them (the account integration tests).
 */
export function accountApi(api: Api) {
  return {
    requestReset: (email: string, headers?: Record<string, string>) =>
      api.call("POST", "/api/auth/password-reset", { json: { email }, headers }),
    confirmReset: (token: string, newPassword: string, headers?: Record<string, string>) =>
      api.call("POST", "/api/auth/password-reset/confirm", { json: { token, newPassword }, headers }),
    verifyEmail: (token: string, headers?: Record<string, string>) =>
      api.call("POST", "/api/auth/verify-email", { json: { token }, headers }),
    resendVerification: (accessToken: string) =>
      api.call("POST", "/api/account/email/verification", { token: accessToken }),
    changeEmail: (accessToken: string, newEmail: string, password?: string, headers?: Record<string, string>) =>
      api.call("POST", "/api/account/email", {
        token: accessToken,
        json: password === undefined ? { newEmail } : { newEmail, password },
        headers,
      }),
    deleteAccount: (accessToken: string, password?: string) =>
      api.call("DELETE", "/api/account", { token: accessToken, json: password === undefined ? {} : { password } }),
    async me(accessToken: string) {
      return api.call<{ user: { id: string; email: string; emailVerified: boolean } }>("GET", "/api/me", {
        token: accessToken,
      });
    },
    /** The account's activity, newest first: each event's type. */
    async activityTypes(accessToken: string): Promise<string[]> {
      const res = await api.call<{ items: { type: string }[] }>("GET", "/api/account/activity?limit=100", {
        token: accessToken,
      });
      if (res.status !== 200) throw new Error(`activity: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.items.map((item) => item.type);
    },
  };
}

/**
 * The same access token (same user, session, batch number), signed with the app's own key, but
 * whose `auth_time` is `ageSeconds` old: what a device holds after refreshing its tokens for that
 * long without typing its password. Made here because waiting REAUTH_MAX_AGE_SECONDS is not an option.
 */
export async function withOldAuthTime(
  appEnv: Record<string, string>,
  accessToken: string,
  ageSeconds: number,
): Promise<string> {
  const { keys } = JSON.parse(appEnv.JWT_SIGNING_KEYS!) as { keys: PrivateJwk[] };
  const tokens = new AccessTokens(await loadKeyRing(keys), {
    ...defaultEngineConfig,
    issuer: appEnv.JWT_ISSUER!,
    audience: appEnv.JWT_AUDIENCE ?? "revocable-sessions-api",
  });
  const claims = decodeJwt(accessToken);
  const now = Date.now();
  const { token } = await tokens.issue({
    userId: String(claims.sub),
    email: String(claims.email),
    name: typeof claims.name === "string" ? claims.name : null,
    sessionId: String(claims.sid),
    epoch: Number(claims.sv),
    emailVerified: claims.email_verified === true,
    authTimeMs: now - ageSeconds * 1000,
    nowMs: now,
    notAfterMs: now + 3600_000,
  });
  return token;
}

/** What the account integration files run against: apps that mail to a capturing SMTP server. */
export interface AccountApps {
  capture: MailCapture;
  testApp: TestApp;
  /** Real rate limits (RATE_LIMIT_SCALE=1). */
  limitsApp: TestApp;
  /** A second instance on `testApp`'s storage: only with PostgreSQL + Redis (PGlite is one process's). */
  second: AppServer | undefined;
  api: Api;
  account: ReturnType<typeof accountApi>;
  /** Registers a new account (asserting 201) and answers its email. */
  newAccount(label: string, password: string, client?: Api): Promise<string>;
  stop(): Promise<void>;
}

export async function startAccountApps(
  label: string,
  env: { app?: Record<string, string>; limits?: Record<string, string> } = {},
): Promise<AccountApps> {
  const capture = await startMailCapture();
  const mail = { SMTP_URL: capture.url, MAIL_FROM: CAPTURE_MAIL_FROM };
  const [testApp, limitsApp] = await Promise.all([
    startTestApp(label, { ...mail, ...env.app }),
    startTestApp(`${label}limits`, { ...mail, ...env.app, RATE_LIMIT_SCALE: "1", ...env.limits }),
  ]);
  const second = usingPostgres() && sharedRedisUrl() ? await AppServer.start(testApp.env) : undefined;
  console.log(`${label}: ${second ? "two instances on PostgreSQL + Redis" : "one instance (embedded storage)"}`);
  const api = new Api(testApp.app.url);
  return {
    capture,
    testApp,
    limitsApp,
    second,
    api,
    account: accountApi(api),
    async newAccount(accountLabel, password, client = api) {
      const email = uniqueEmail(accountLabel);
      const res = await client.register(email, password);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return email;
    },
    async stop() {
      await second?.stop();
      await Promise.all([testApp.stop(), limitsApp.stop()]);
      await capture.close();
    },
  };
}
