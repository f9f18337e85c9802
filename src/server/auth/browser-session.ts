import type { AccessClaims } from "@/core/access-tokens";
import { isAuthError, type InvalidTokenReason } from "@/core/errors";
import type { SessionEngine, TokenPair } from "@/core/session-engine";

/** Renew a little before expiry, so a page render never starts with a token about to lapse. */
const RENEW_BEFORE_SECONDS = 30;

export type SignedOutReason = "revoked" | "expired" | "logout" | "everywhere" | "admin" | "disabled" | "session_limit";

export type BrowserSessionState =
  | { kind: "active"; claims: AccessClaims }
  | { kind: "renewed"; claims: AccessClaims; pair: TokenPair }
  | { kind: "signed_out"; reason: SignedOutReason }
  | { kind: "anonymous" };

/**
 * The browser's cookies -> its session. The access JWT is checked like any Bearer token (signature,
 * expiry, revocation store); when it has run out, the refresh cookie is rotated through the engine,
 * exactly like an API client's refresh (parallel tabs share the grace window's successor).
 * `temporarily_unavailable` is thrown, never turned into a sign-out.
 */
export async function resolveBrowserSession(
  engine: SessionEngine,
  cookies: { session?: string; refresh?: string },
  nowMs: number,
): Promise<BrowserSessionState> {
  if (cookies.session) {
    try {
      const claims = await engine.authenticate(cookies.session);
      if (claims.exp - nowMs / 1000 > RENEW_BEFORE_SECONDS || !cookies.refresh) return { kind: "active", claims };
    } catch (error) {
      if (!isAuthError(error) || error.code !== "invalid_token") throw error;
      if (error.details.reason === "revoked") return { kind: "signed_out", reason: "revoked" };
    }
  }
  if (!cookies.refresh) return cookies.session ? { kind: "signed_out", reason: "expired" } : { kind: "anonymous" };
  try {
    const pair = await engine.refresh(cookies.refresh);
    return { kind: "renewed", pair, claims: await engine.authenticate(pair.accessToken) };
  } catch (error) {
    if (!isAuthError(error) || (error.code !== "invalid_grant" && error.code !== "invalid_token")) throw error;
    return { kind: "signed_out", reason: toSignedOutReason(error.details.reason) };
  }
}

function toSignedOutReason(reason: InvalidTokenReason | undefined): SignedOutReason {
  return reason === "revoked" ? "revoked" : "expired";
}
