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
  /** OIDC's `email_verified`: the owner had proved the address when this token was issued. */
  email_verified: boolean;
  /**
   * OIDC's `auth_time` (seconds): when the holder last proved who they are (the password); kept
   * across refreshes. Re-authentication rules read it (src/core/reauthentication.ts).
   */
  auth_time: number;
  /**
   * OIDC's `amr`: how the holder signed in (RFC 8176 values: "pwd", "otp", "mfa", "hwk", "user";
   * "fed" for an identity provider). Empty for tokens issued before the claim existed.
   */
  amr: string[];
  /** The account had two-factor sign-in (TOTP) on when this token was issued. */
  two_factor: boolean;
  jti: string;
  iat: number;
  exp: number;
}
