import { revocationTtlSeconds, type EngineConfig } from "./config";
import type { Clock } from "./ports";

/**
 * What `npm run db:cleanup` deletes. Every delete takes at most `limit` rows (one short statement,
 * short locks) and skips rows another run holds, so runs may overlap each other and the app.
 */
export interface CleanupRepository {
  /**
   * Sessions that ended before `cutoff`: revoked, outdated by an epoch raise, or past their idle
   * or absolute expiry. Returns how many were deleted (at most `limit`).
   */
  deleteEndedSessions(cutoff: Date, limit: number): Promise<number>;
  countEndedSessions(cutoff: Date): Promise<number>;
  /** Audit events written before `cutoff`, and the outbox mail of that time (at most `limit` rows in all). */
  deleteEventsBefore(cutoff: Date, limit: number): Promise<number>;
  countEventsBefore(cutoff: Date): Promise<number>;
  /** Emailed links (password reset, verification) that expired before `now`: useless from then on. */
  deleteExpiredLinks(now: Date, limit: number): Promise<number>;
  countExpiredLinks(now: Date): Promise<number>;
  /**
   * Sign-in challenges (mfa, WebAuthn) that expired before `now`, and TOTP set-ups never confirmed
   * that were started before `pendingBefore` (at most `limit` rows in all).
   */
  deleteExpiredChallenges(now: Date, pendingBefore: Date, limit: number): Promise<number>;
  countExpiredChallenges(now: Date, pendingBefore: Date): Promise<number>;
}

/** An unconfirmed TOTP set-up stops working after 15 minutes; its sealed secret is deleted after a day. */
export const PENDING_TOTP_RETENTION_SECONDS = 86_400;

export interface CleanupPolicy {
  /** How long an ended session is kept (for support and forensics). */
  sessionRetentionSeconds: number;
  /** How long audit events (and outbox mail) are kept; 0 keeps them forever. */
  eventRetentionSeconds: number;
}

export interface CleanupOptions {
  dryRun: boolean;
  batchSize: number;
}

export interface CleanupReport {
  dryRun: boolean;
  /** Sessions deleted (or, in a dry run, that would be). */
  sessions: number;
  /** Events deleted (or that would be); null when events are kept forever. */
  events: number | null;
  /** Expired emailed links deleted (or that would be). */
  links: number;
  /** Expired sign-in challenges and day-old unconfirmed TOTP set-ups deleted (or that would be). */
  challenges: number;
  sessionCutoff: Date;
  eventCutoff: Date | null;
}

/**
 * A session row is needed until every access token issued for it has expired: the revocation
 * store re-learns the last `revocationTtlSeconds` of revocations from these rows after a flush.
 * After that, a deleted session refuses its tokens anyway (no row: the database check and the
 * refresh both refuse), so the retention never goes below that window, whatever is configured.
 */
export function sessionCutoff(config: EngineConfig, policy: CleanupPolicy, nowMs: number): Date {
  return new Date(nowMs - Math.max(policy.sessionRetentionSeconds, revocationTtlSeconds(config)) * 1000);
}

export function eventCutoff(policy: CleanupPolicy, nowMs: number): Date | null {
  return policy.eventRetentionSeconds > 0 ? new Date(nowMs - policy.eventRetentionSeconds * 1000) : null;
}

/** Deletes in batches until a batch comes back short (nothing left, or the rest is another run's). */
async function drain(deleteBatch: (limit: number) => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

export async function runCleanup(
  deps: { repository: CleanupRepository; config: EngineConfig; clock: Clock },
  policy: CleanupPolicy,
  options: CleanupOptions,
): Promise<CleanupReport> {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new RangeError(`batch size must be a positive integer, got ${options.batchSize}`);
  const { repository } = deps;
  const nowMs = deps.clock();
  const sessionsBefore = sessionCutoff(deps.config, policy, nowMs);
  const eventsBefore = eventCutoff(policy, nowMs);
  const pendingBefore = new Date(nowMs - PENDING_TOTP_RETENTION_SECONDS * 1000);
  const report: CleanupReport = {
    dryRun: options.dryRun,
    sessions: 0,
    events: null,
    links: 0,
    challenges: 0,
    sessionCutoff: sessionsBefore,
    eventCutoff: eventsBefore,
  };
  if (options.dryRun) {
    report.sessions = await repository.countEndedSessions(sessionsBefore);
    if (eventsBefore) report.events = await repository.countEventsBefore(eventsBefore);
    report.links = await repository.countExpiredLinks(new Date(nowMs));
    report.challenges = await repository.countExpiredChallenges(new Date(nowMs), pendingBefore);
    return report;
  }
  report.sessions = await drain((limit) => repository.deleteEndedSessions(sessionsBefore, limit), options.batchSize);
  if (eventsBefore)
    report.events = await drain((limit) => repository.deleteEventsBefore(eventsBefore, limit), options.batchSize);
  report.links = await drain((limit) => repository.deleteExpiredLinks(new Date(nowMs), limit), options.batchSize);
  report.challenges = await drain(
    (limit) => repository.deleteExpiredChallenges(new Date(nowMs), pendingBefore, limit),
    options.batchSize,
  );
  return report;
}
