import "server-only";
import type { Account, Profile, User } from "next-auth";
import { cookies, headers } from "next/headers";
import type { AccessClaims } from "@/core/access-claims";
import { accountDisabled, errorMessage, isAuthError } from "@/core/errors";
import type { RequestContext } from "@/core/session-engine";
import type { Services } from "../../build-services";
import { clientContext } from "../../http/client-info";
import { resolveBrowserSession } from "../browser-session";
import { cookieNames, cookieOptions, writeSessionCookies } from "../cookies";
import { decodeLinkIntent, linkIntentCookieName } from "../link-intent";
import { toExternalIdentity } from "./oidc";

/** Why an identity sign-in was refused, as the `error` of /login (the page words each one). */
export type IdentitySignInError = "identity_not_linked" | "identity_no_email" | "account_disabled" | "identity_failed";

/** Why connecting an identity failed, as the `connect_error` of /settings/security. */
export type ConnectError = "taken" | "reauth" | "expired" | "failed";

/**
 * next-auth's `signIn` callback for the identity providers (the password provider has signed in
 * already by then, in its `authorize`). The provider's identity becomes an engine device session:
 * its access token goes to `user.accessToken` (the `jwt` callback makes it the session cookie) and
 * the refresh cookie is written here. With a link intent bound to this browser's session, the
 * identity is connected to the signed-in account instead. A refusal is a redirect with a code
 * the page words: never a secret or a provider's message in the URL.
 */
export function identitySignIn(services: Services) {
  const { env, engine } = services;
  return async function signIn({
    user,
    account,
    profile,
  }: {
    user: User;
    account: Account | null;
    profile?: Profile;
  }): Promise<boolean | string> {
    if (account?.type !== "oauth") return true;
    const jar = await cookies();
    const context = clientContext(await headers(), env.TRUST_PROXY_HOPS);
    const identity = toExternalIdentity(env, account, profile as Record<string, unknown> | undefined);
    const intentName = linkIntentCookieName(env);
    if (jar.get(intentName) !== undefined) {
      const value = jar.get(intentName)?.value;
      jar.set(intentName, "", { ...cookieOptions(env), maxAge: 0 }); // single use
      const intent = decodeLinkIntent(value, services.authSecret, Date.now());
      const claims = intent ? await currentClaims(services, jar, context) : null;
      if (!intent || !claims || intent.provider !== account.provider || claims.sid !== intent.sessionId)
        return connectResult({ error: "expired" });
      try {
        await engine.linkIdentity(claims, identity, context, intent.reauthenticatedAtMs);
        return connectResult({ connected: account.provider });
      } catch (error) {
        return connectResult({ error: connectError(error, services) });
      }
    }
    try {
      const pair = await engine.signInWithIdentity(identity, context);
      writeSessionCookies(jar, env, pair);
      Object.assign(user, { accessToken: pair.accessToken });
      return true;
    } catch (error) {
      return `/login?error=${signInError(error, services)}`;
    }
  };
}

/**
 * The browser's signed-in session, its access token renewed through the refresh cookie when it ran
 * out during the trip to the provider (the new pair is written back); null when signed out.
 */
async function currentClaims(
  { engine, env }: Pick<Services, "engine" | "env">,
  jar: Awaited<ReturnType<typeof cookies>>,
  context: RequestContext,
): Promise<AccessClaims | null> {
  const names = cookieNames(env);
  const state = await resolveBrowserSession(
    engine,
    { session: jar.get(names.session)?.value, refresh: jar.get(names.refresh)?.value },
    Date.now(),
    context,
  ).catch(() => null);
  if (state?.kind === "renewed") writeSessionCookies(jar, env, state.pair);
  return state?.kind === "active" || state?.kind === "renewed" ? state.claims : null;
}

function connectResult(result: { connected: string } | { error: ConnectError }): string {
  const query =
    "connected" in result ? `connected=${encodeURIComponent(result.connected)}` : `connect_error=${result.error}`;
  return `/settings/security?${query}#connected-accounts`;
}

function signInError(error: unknown, { logger }: Pick<Services, "logger">): IdentitySignInError {
  if (isAuthError(error)) {
    if (error.code === "conflict") return "identity_not_linked";
    if (error.code === "invalid_request") return "identity_no_email";
    if (error.code === "invalid_grant" && error.message === accountDisabled().message) return "account_disabled";
  }
  logger.error("identity_sign_in_failed", { error: errorMessage(error) });
  return "identity_failed";
}

function connectError(error: unknown, { logger }: Pick<Services, "logger">): ConnectError {
  if (isAuthError(error)) {
    if (error.code === "conflict") return "taken";
    if (error.code === "insufficient_user_authentication") return "reauth";
    if (error.code === "invalid_token") return "expired";
  }
  logger.error("identity_link_failed", { error: errorMessage(error) });
  return "failed";
}
