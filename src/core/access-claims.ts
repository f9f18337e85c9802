/**
 * What a verified access token says: issued by src/core/access-tokens.ts, remembered by
 * src/core/verified-token-cache.ts, read by every check and verb that acts for the token's holder.
 */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Device session id. */
  sid: string;
  /** The user's epoch (batch number) when the session was issued this token. */
  sv: number;
  /** The user's email and name: /api/me and pages need no database read to show who is signed in. */
  email: string;
  name: string | null;
  jti: string;
  iat: number;
  exp: number;
}
