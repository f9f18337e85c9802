import { engineText } from "./messages";
/**
 * The closed set of errors the engine raises. The edge (src/server/http) maps each code to an HTTP
 * status and a JSON body `{ error, error_description }`; pages map them to readable messages.
 * Codes follow RFC 6749 §5.2 / RFC 6750 §3.1 where one exists.
 */
export const AUTH_ERROR_CODES = [
  "invalid_request",
  "invalid_grant",
  "invalid_token",
  "insufficient_user_authentication",
  "unsupported_grant_type",
  "mfa_required",
  "email_taken",
  "conflict",
  "not_found",
  "payload_too_large",
  "rate_limited",
  "temporarily_unavailable",
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export interface AuthErrorDetails {
  /** Field name -> messages, for forms and `invalid_request`. */
  fields?: Record<string, string[]>;
  /** For `rate_limited`: seconds until a retry may succeed. */
  retryAfterSeconds?: number;
  /** For `invalid_token` / `invalid_grant`: why, so a browser can be told "signed out" vs "expired". */
  reason?: InvalidTokenReason;
  /** For `insufficient_user_authentication`: how recent (seconds) a password check must be. */
  maxAgeSeconds?: number;
  /**
   * For `mfa_required`: the single-use token of the sign-in's second step (RFC 6749 §5.2 error
   * response with an `mfa_token`, as the OAuth 2.0 MFA draft has it). A secret: never log it.
   */
  mfaToken?: string;
}

/**
 * A brand instead of `instanceof`: Next bundles the instrumentation hook (which builds the services)
 * and each route separately, so an error may come from another copy of this class.
 */
const BRAND = Symbol.for("revocable-jwt-sessions.AuthError");

export class AuthError extends Error {
  override readonly name = "AuthError";
  readonly [BRAND] = true;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly details: AuthErrorDetails = {},
  ) {
    super(message);
  }
}

export function isAuthError(error: unknown): error is AuthError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** Why an access token was refused: kept out of the response body's code, useful in messages and logs. */
export type InvalidTokenReason = "missing" | "malformed" | "expired" | "revoked" | "signature";

const tokenMessages: Record<InvalidTokenReason, string> = {
  missing: engineText("token.missing"),
  malformed: engineText("token.malformed"),
  expired: engineText("token.expired"),
  revoked: engineText("token.revoked"),
  signature: engineText("token.signature"),
};

export function invalidToken(reason: InvalidTokenReason): AuthError {
  return new AuthError("invalid_token", tokenMessages[reason], { reason });
}

export function invalidGrant(message = engineText("token.refreshInvalid"), reason?: InvalidTokenReason): AuthError {
  return new AuthError("invalid_grant", message, reason ? { reason } : {});
}

/** Only said after the right password: someone guessing learns nothing about the account's state. */
export function accountDisabled(): AuthError {
  return new AuthError("invalid_grant", engineText("account.disabled"));
}

export function storesUnavailable(): AuthError {
  return new AuthError("temporarily_unavailable", engineText("unavailable.sessions"));
}

/** A loggable one-line description of anything thrown (never its stack). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
