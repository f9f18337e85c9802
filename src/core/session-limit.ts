import type { EngineConfig } from "./config";
import type { NewSessionRecord, SessionRepository } from "./ports";

/**
 * Stores a new session. With a limit (MAX_SESSIONS_PER_USER), the user's oldest live sessions by
 * creation beyond it are signed out in the same transaction, never the new one; concurrent
 * sign-ins of one user take turns there, so together they leave exactly `max` live sessions.
 * Returns the ids signed out: the caller fans them out (store, push, audit) as "session_limit".
 */
export async function createSessionWithinLimit(
  sessions: SessionRepository,
  config: EngineConfig,
  record: NewSessionRecord,
): Promise<string[]> {
  const max = config.maxSessionsPerUser ?? 0;
  if (max <= 0) {
    await sessions.create(record);
    return [];
  }
  return sessions.createWithinLimit(record, max, {
    userId: record.userId,
    reason: "session_limit",
    revokedBy: null,
    now: record.createdAt,
  });
}
