import { logAuthEvent } from "./auth-events-log";
import { revocationTtlSeconds } from "./config";
import type { EngineDeps } from "./deps";
import { errorMessage } from "./errors";
import { DELETED_ACCOUNT_EPOCH, type RevocationNotice, type RevocationReason, type SessionEventInput } from "./ports";

/**
 * What follows a revocation once the database has it (the truth): the revocation store (so every
 * instance refuses the tokens on their next request), the push to open browsers, then the audit
 * trail (each audited event is also one JSON log line). Each step is best effort and logged when it fails: a failed store write makes the store
 * distrust itself (the database answers instead), and a lost audit event never undoes a revocation.
 */
/** Whether the store write and the push of a revocation succeeded (the database has it either way). */
export interface Propagation {
  stored: boolean;
  pushed: boolean;
}

export type RevocationFanout = ReturnType<typeof createRevocationFanout>;

export function createRevocationFanout(deps: Pick<EngineDeps, "config" | "store" | "notifier" | "events" | "logger">) {
  const { store, notifier, events, logger } = deps;
  const ttl = revocationTtlSeconds(deps.config);

  async function propagate(write: () => Promise<void>, notice: RevocationNotice): Promise<Propagation> {
    const result = { stored: true, pushed: true };
    try {
      await write();
    } catch (error) {
      result.stored = false;
      logger.warn("revocation_store_write_failed", { error: errorMessage(error) });
    }
    try {
      await notifier.publish(notice);
    } catch (error) {
      result.pushed = false;
      logger.warn("revocation_notice_failed", { error: errorMessage(error) });
    }
    return result;
  }

  async function audit(entries: SessionEventInput[]): Promise<void> {
    if (entries.length === 0) return;
    for (const entry of entries) logAuthEvent(logger, entry.type, entry);
    try {
      await events.record(entries);
    } catch (error) {
      logger.error("audit_event_lost", {
        types: entries.map((e) => e.type),
        userId: entries[0]?.userId,
        error: errorMessage(error),
      });
    }
  }

  return {
    audit,

    /** Sessions marked revoked in the database: refuse their tokens everywhere, push, record. */
    async sessionsRevoked(
      userId: string,
      sessionIds: string[],
      reason: RevocationReason,
      actor: string | null,
    ): Promise<Propagation> {
      if (sessionIds.length === 0) return { stored: true, pushed: true };
      const result = await propagate(() => store.revokeSessions(sessionIds, ttl), {
        type: "sessions_revoked",
        userId,
        sessionIds,
        reason,
      });
      await audit(
        sessionIds.map((sessionId) => ({
          userId,
          sessionId,
          type: "session_revoked" as const,
          reason,
          actorSessionId: actor,
        })),
      );
      return result;
    },

    /** The user's epoch was raised in the database: refuse every older token everywhere, push, record. */
    async epochRaised(
      userId: string,
      epoch: number,
      reason: RevocationReason,
      keepSessionId: string | null,
      entry: SessionEventInput,
    ): Promise<Propagation> {
      const result = await propagate(() => store.raiseEpoch(userId, epoch, ttl), {
        type: "epoch_raised",
        userId,
        epoch,
        keepSessionId,
        reason,
      });
      await audit([entry]);
      return result;
    },

    /**
     * The user and their rows were deleted: their live sessions and every token of theirs refused
     * everywhere (an epoch no token can reach), open browsers pushed out. Nothing is audited: the
     * events went with the user; the log line stays.
     */
    async accountDeleted(userId: string, sessionIds: string[]): Promise<Propagation> {
      logAuthEvent(logger, "account_deleted", { userId, sessions: sessionIds.length });
      return propagate(
        async () => {
          if (sessionIds.length > 0) await store.revokeSessions(sessionIds, ttl);
          await store.raiseEpoch(userId, DELETED_ACCOUNT_EPOCH, ttl);
        },
        {
          type: "epoch_raised",
          userId,
          epoch: DELETED_ACCOUNT_EPOCH,
          keepSessionId: null,
          reason: "account_deleted",
        },
      );
    },
  };
}
