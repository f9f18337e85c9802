import { AuthError, type AuthErrorCode } from "@/core/errors";
import type { Logger } from "@/core/ports";
import { engineTextIn } from "@/i18n/engine-text-in";
import type { Locale } from "@/i18n/locales";
import { engineText } from "@/core/messages";

/** The one place where engine errors become HTTP. */
const statusOf: Record<AuthErrorCode, number> = {
  invalid_request: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_token: 401,
  insufficient_user_authentication: 401,
  mfa_required: 400,
  not_found: 404,
  email_taken: 409,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  temporarily_unavailable: 503,
};

export interface ErrorBody {
  error: string;
  error_description: string;
  fields?: Record<string, string[]>;
  /** With `mfa_required`: the token of the sign-in's second step. */
  mfa_token?: string;
}

/** On every API response: a browser never sniffs it into another type (a JSON body run as HTML or script). */
export const NOSNIFF = { "X-Content-Type-Options": "nosniff" } as const;

/** Every API response is private to its caller (never cached by a browser or a proxy), and not sniffed. */
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache", ...NOSNIFF } as const;

/**
 * An error answer. With the request's `locale`, `error_description` and `fields` are written in it
 * (the codes stay the same English tokens for programs) and `Content-Language` says which. No
 * `Vary: Accept-Language`: it tells caches which request headers select a stored response, and
 * every API response is `no-store`, so no cache ever holds one to select.
 */
export function errorJson(
  status: number,
  body: ErrorBody,
  headers: Record<string, string> = {},
  locale?: Locale,
): Response {
  if (!locale) return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
  const engineText = engineTextIn(locale);
  const localized: ErrorBody = { ...body, error_description: engineText.text(body.error_description) };
  if (body.fields) localized.fields = engineText.fields(body.fields);
  return Response.json(localized, { status, headers: { ...NO_STORE, ...headers, "Content-Language": locale } });
}

/**
 * The response of an engine error. The `WWW-Authenticate` descriptions stay in English whatever the
 * language: a header's value is ASCII (RFC 9110 §5.5), and programs, not people, read it.
 */
export function authErrorResponse(error: AuthError, locale?: Locale): Response {
  const headers: Record<string, string> = {};
  if (error.code === "invalid_token") {
    headers["WWW-Authenticate"] =
      `Bearer error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`;
  }
  if (error.code === "insufficient_user_authentication") {
    // RFC 9470 §3: the client should have the user authenticate again (at most max_age seconds ago).
    const maxAge = error.details.maxAgeSeconds === undefined ? "" : `, max_age=${error.details.maxAgeSeconds}`;
    headers["WWW-Authenticate"] =
      `Bearer error="insufficient_user_authentication", error_description="${error.message.replace(/"/g, "'")}"${maxAge}`;
  }
  if (error.code === "rate_limited" && error.details.retryAfterSeconds !== undefined) {
    headers["Retry-After"] = String(Math.ceil(error.details.retryAfterSeconds));
  }
  if (error.code === "temporarily_unavailable") headers["Retry-After"] = "5";
  const body: ErrorBody = { error: error.code, error_description: error.message };
  if (error.details.fields) body.fields = error.details.fields;
  if (error.code === "mfa_required" && error.details.mfaToken) body.mfa_token = error.details.mfaToken;
  return errorJson(statusOf[error.code], body, headers, locale);
}

/**
 * Anything that is not an AuthError: a database that went away becomes a 503 with a clear message,
 * everything else a 500 without details (the log has them, under an id the client can quote).
 */
export function unexpectedErrorResponse(error: unknown, logger: Logger, locale?: Locale): Response {
  if (isConnectivityError(error)) {
    logger.error("storage_unavailable", { error: describe(error) });
    return errorJson(
      503,
      {
        error: "temporarily_unavailable",
        error_description: engineText("unavailable.database"),
      },
      { "Retry-After": "5" },
      locale,
    );
  }
  const incident = crypto.randomUUID();
  logger.error("unexpected_error", {
    incident,
    error: describe(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return errorJson(
    500,
    { error: "server_error", error_description: engineText("unavailable.unexpected", { incident }) },
    {},
    locale,
  );
}

export function isConnectivityError(error: unknown): boolean {
  const text = describe(error);
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === "string" &&
      [
        "P1001",
        "P1002",
        "P1008",
        "P1017",
        "P2024",
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "57P01",
        "57P03",
      ].includes(code)) ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connection is closed|Can't reach database|terminating connection|the database system is (starting up|shutting down)|Timed out fetching a new connection|not queryable|Connection terminated unexpectedly/i.test(
      text,
    )
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause ? `${error.name}: ${error.message} (cause: ${describe(cause)})` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
