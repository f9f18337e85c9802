import { decodeJwt } from "jose";
import { AccessTokens } from "../../src/core/access-tokens";
import { defaultEngineConfig } from "../../src/core/config";
import { loadKeyRing, type PrivateJwk } from "../../src/core/signing-keys";
import type { Api } from "../../scripts/lib/api-client";

/**
 * The account recovery, verification, email change and deletion endpoints, as a client calls
 * them (integration tests of issue 12).
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
