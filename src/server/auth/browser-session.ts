import type { AccessClaims } from "@/core/access-tokens";
import { isAuthError, type InvalidTokenReason } from "@/core/errors";
import type { RequestContext, SessionEngine, TokenPair } from "@/core/session-engine";

/** Renew a little before expiry, so a page render never starts with a token about to lapse. */
const RENEW_BEFORE_SECONDS = 30;

export type SignedOutReason =
  | "revoked"
  | "expired"
  | "logout"
  | "everywhere"
  | "admin"
  | "disabled"
  | "session_limit"
  | "password_reset"
  | "account_deleted";

export type BrowserSessionState =
  | { kind: "active"; claims: AccessClaims }
  | { kind: "renewed"; claims: AccessClaims; pair: TokenPair }
  | { kind: "signed_out"; reason: SignedOutReason }
  | { kind: "anonymous" };

/** The session cookie's access JWT, checked: alive with its claims, or the reason the browser is signed out. */
export type BrowserTokenCheck =
  | { kind: "active"; claims: AccessClaims }
  | { kind: "signed_out"; reason: Extract<SignedOutReason, "revoked" | "expired"> };

/**
 * The one decision whether a browser's session cookie is alive: the access JWT is checked like any
 * Bearer token (signature, expiry, revocation store, else the database). A refused token means
 * signed out, "revoked" when its session was ended and "expired" otherwise. Anything else, above all
 * `temporarily_unavailable`, is thrown: an outage is never a sign-out.
 */
export async function checkBrowserToken(engine: SessionEngine, token: string | undefined): Promise<BrowserTokenCheck> {
  try {
    return { kind: "active", claims: await engine.authenticate(token ?? "") };
  } catch (error) {
    if (!isAuthError(error) || error.code !== "invalid_token") throw error;
    return { kind: "signed_out", reason: toSignedOutReason(error.details.reason) };
  }
}

/**
 * The browser's cookies -> its session: the session cookie through checkBrowserToken; when its JWT
 * has run out (or is about to), the refresh cookie is rotated through the engine, exactly like an
 * API client's refresh (parallel tabs share the grace window's successor; `client` is the address a
 * refused refresh counts against).
 * `temporarily_unavailable` is thrown, never turned into a sign-out.
 */
export async function resolveBrowserSession(
  engine: SessionEngine,
  cookies: { session?: string; refresh?: string },
  nowMs: number,
  client?: RequestContext,
): Promise<BrowserSessionState> {
  if (cookies.session) {
    const check = await checkBrowserToken(engine, cookies.session);
    if (check.kind === "active") {
      if (check.claims.exp - nowMs / 1000 > RENEW_BEFORE_SECONDS || !cookies.refresh) return check;
    } else if (check.reason === "revoked" || !cookies.refresh) {
      return check;
    }
  }
  if (!cookies.refresh) return { kind: "anonymous" };
  try {
    const pair = await engine.refresh(cookies.refresh, client);
    return { kind: "renewed", pair, claims: await engine.authenticate(pair.accessToken) };
  } catch (error) {
    if (!isAuthError(error) || (error.code !== "invalid_grant" && error.code !== "invalid_token")) throw error;
    return { kind: "signed_out", reason: toSignedOutReason(error.details.reason) };
  }
}

function toSignedOutReason(reason: InvalidTokenReason | undefined): "revoked" | "expired" {
  return reason === "revoked" ? "revoked" : "expired";
}
