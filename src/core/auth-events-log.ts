import type { Logger, SessionEventType } from "./ports";

/**
 * The auth events written to the log, one JSON line each. Audited events (the session_events
 * table) are logged by the revocation fan-out's `audit`, where they are recorded; the three that
 * are not stored (no user to attach them to, or too many) are logged where they happen.
 */
export type AuthEventType =
  SessionEventType | "sign_in_failed" | "token_refreshed" | "rate_limited" | "account_deleted";

/**
 * The only fields an auth event line can carry: ids, reasons, an address and a limit's name.
 * Copied one by one, so nothing else a caller holds (a token, a password, a hash) can slip in.
 */
export interface AuthEventFields {
  userId?: string | null;
  sessionId?: string | null;
  reason?: string | null;
  /** The session that asked; null when the system or an administrator did it. */
  actorSessionId?: string | null;
  ip?: string | null;
  /** rate_limited: which limit (a key of src/core/rate-limits.ts defaultRateLimits). */
  limit?: string;
  /** account_deleted: how many live sessions ended with it. */
  sessions?: number;
}

type Level = "debug" | "info" | "warn";

const LEVELS: Record<AuthEventType, Level> = {
  user_registered: "info",
  signed_in: "info",
  sign_in_failed: "info",
  // Every browser refreshes every few minutes: only at LOG_LEVEL=debug.
  token_refreshed: "debug",
  session_revoked: "info",
  refresh_token_reused: "warn",
  password_changed: "info",
  user_disabled: "warn",
  user_enabled: "info",
  rate_limited: "warn",
  password_reset_requested: "info",
  password_reset: "info",
  email_verified: "info",
  email_change_requested: "info",
  email_changed: "info",
  account_deleted: "info",
  two_factor_enabled: "info",
  two_factor_disabled: "warn",
  recovery_code_used: "warn",
  recovery_codes_regenerated: "info",
  passkey_added: "info",
  passkey_removed: "info",
  identity_linked: "info",
  identity_unlinked: "info",
};

export function logAuthEvent(logger: Logger, type: AuthEventType, fields: AuthEventFields): void {
  const line: Record<string, unknown> = {
    kind: "auth",
    userId: fields.userId ?? null,
    sessionId: fields.sessionId ?? null,
    reason: fields.reason ?? null,
    actorSessionId: fields.actorSessionId ?? null,
    ip: fields.ip ?? null,
  };
  if (fields.limit !== undefined) line.limit = fields.limit;
  if (fields.sessions !== undefined) line.sessions = fields.sessions;
  const level = LEVELS[type];
  if (level === "debug") logger.debug?.(type, line);
  else logger[level](type, line);
}
