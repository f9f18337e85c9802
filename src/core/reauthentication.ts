import type { AccessClaims } from "./access-claims";
import type { EngineDeps } from "./deps";
import { AuthError, invalidToken } from "./errors";
import type { PasswordCheck } from "./password-check";
import type { UserRecord } from "./ports";
import type { RequestContext } from "./session-engine";
import { engineText } from "./messages";

/**
 * Re-authentication for irreversible changes (email, account deletion, second factors): the
 * password in the request, or an access token whose `auth_time` is at most
 * `config.reauthMaxAgeSeconds` old. Otherwise `insufficient_user_authentication` (RFC 9470), which
 * the edge answers with 401 and `WWW-Authenticate: Bearer error="insufficient_user_authentication"`.
 * A password that is given must be right, whatever `auth_time` says; a wrong one counts against
 * the account's sign-in failure budget like any other.
 */
export type Reauthenticate = (
  claims: AccessClaims,
  password: string | undefined,
  context: RequestContext,
) => Promise<UserRecord>;

export function createReauthentication(
  deps: Pick<EngineDeps, "config" | "users" | "clock">,
  verifyPasswordOf: PasswordCheck,
): Reauthenticate {
  const { config, users, clock } = deps;
  return async function reauthenticate(claims, password, context) {
    const user = await users.findById(claims.sub);
    if (!user) throw invalidToken("revoked"); // deleted between the token check and now
    if (password !== undefined) {
      if (await verifyPasswordOf(user.email, user, password, context.ip)) return user;
      throw new AuthError("invalid_grant", engineText("account.wrongPassword"), {
        fields: { password: [engineText("account.wrongPassword")] },
      });
    }
    if (isRecentAuthentication(claims, clock(), config.reauthMaxAgeSeconds)) return user;
    // An account without a password (made through an identity provider) has none to enter.
    const message = user.passwordHash ? engineText("account.reauthWithPassword") : engineText("account.reauthBySignIn");
    throw new AuthError("insufficient_user_authentication", message, { maxAgeSeconds: config.reauthMaxAgeSeconds });
  };
}

/** The holder proved who they are at most `maxAgeSeconds` ago (a future `auth_time` is not trusted). */
export function isRecentAuthentication(claims: Pick<AccessClaims, "auth_time">, nowMs: number, maxAgeSeconds: number) {
  const age = nowMs / 1000 - claims.auth_time;
  return age >= -60 && age <= maxAgeSeconds;
}
