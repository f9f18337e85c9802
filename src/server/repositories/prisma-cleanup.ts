import type { CleanupRepository } from "@/core/cleanup";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";

/**
 * The ids of sessions that ended before `cutoff`, one query per way of ending so each can use its
 * index (revoked_at, idle/absolute expiry; epoch-outdated sessions through their user's
 * epoch_changed_at, the last raise, which is at or after the moment they died). Ended sessions
 * never come back to life, so what these select stays selected.
 */
function endedSessionQueries(cutoff: Date): Prisma.Sql[] {
  return [
    Prisma.sql`SELECT s.id FROM device_sessions s WHERE s.revoked_at < ${cutoff}`,
    Prisma.sql`SELECT s.id FROM device_sessions s JOIN users u ON u.id = s.user_id WHERE s.epoch < u.session_epoch AND u.epoch_changed_at < ${cutoff}`,
    Prisma.sql`SELECT s.id FROM device_sessions s WHERE s.idle_expires_at < ${cutoff} OR s.absolute_expires_at < ${cutoff}`,
  ];
}

/**
 * Deletes in bounded batches: each statement removes at most `limit` rows, so its locks are short,
 * and `FOR UPDATE ... SKIP LOCKED` passes over rows another run (or the app) holds, so concurrent
 * runs share the work instead of waiting on each other; the counts they report add up.
 */
export class PrismaCleanupRepository implements CleanupRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async deleteEndedSessions(cutoff: Date, limit: number): Promise<number> {
    let deleted = 0;
    for (const ended of endedSessionQueries(cutoff)) {
      if (deleted >= limit) break;
      deleted += await this.prisma
        .$executeRaw`DELETE FROM device_sessions WHERE id IN (${ended} LIMIT ${limit - deleted} FOR UPDATE OF s SKIP LOCKED)`;
    }
    return deleted;
  }

  async countEndedSessions(cutoff: Date): Promise<number> {
    return this.count(
      Prisma.sql`SELECT count(*)::int AS n FROM (${Prisma.join(endedSessionQueries(cutoff), " UNION ")}) AS ended`,
    );
  }

  /** Audit events, then the outbox's mail about them (kept as long as the events they tell of). */
  async deleteEventsBefore(cutoff: Date, limit: number): Promise<number> {
    const events = await this.prisma
      .$executeRaw`DELETE FROM session_events WHERE id IN (SELECT id FROM session_events WHERE created_at < ${cutoff} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    if (events >= limit) return events;
    return (
      events +
      (await this.prisma
        .$executeRaw`DELETE FROM mail_outbox WHERE id IN (SELECT id FROM mail_outbox WHERE created_at < ${cutoff} LIMIT ${limit - events} FOR UPDATE SKIP LOCKED)`)
    );
  }

  async countEventsBefore(cutoff: Date): Promise<number> {
    return (
      (await this.count(Prisma.sql`SELECT count(*)::int AS n FROM session_events WHERE created_at < ${cutoff}`)) +
      (await this.count(Prisma.sql`SELECT count(*)::int AS n FROM mail_outbox WHERE created_at < ${cutoff}`))
    );
  }

  async deleteExpiredLinks(now: Date, limit: number): Promise<number> {
    return this.prisma
      .$executeRaw`DELETE FROM account_tokens WHERE id IN (SELECT id FROM account_tokens WHERE expires_at < ${now} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
  }

  async countExpiredLinks(now: Date): Promise<number> {
    return this.count(Prisma.sql`SELECT count(*)::int AS n FROM account_tokens WHERE expires_at < ${now}`);
  }

  /** Expired auth_challenges, then TOTP secrets never confirmed and started before `pendingBefore`. */
  async deleteExpiredChallenges(now: Date, pendingBefore: Date, limit: number): Promise<number> {
    const challenges = await this.prisma
      .$executeRaw`DELETE FROM auth_challenges WHERE token_hash IN (SELECT token_hash FROM auth_challenges WHERE expires_at < ${now} LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
    if (challenges >= limit) return challenges;
    return (
      challenges +
      (await this.prisma
        .$executeRaw`DELETE FROM totp_credentials WHERE user_id IN (SELECT user_id FROM totp_credentials WHERE enabled_at IS NULL AND created_at < ${pendingBefore} LIMIT ${limit - challenges} FOR UPDATE SKIP LOCKED)`)
    );
  }

  async countExpiredChallenges(now: Date, pendingBefore: Date): Promise<number> {
    return (
      (await this.count(Prisma.sql`SELECT count(*)::int AS n FROM auth_challenges WHERE expires_at < ${now}`)) +
      (await this.count(
        Prisma.sql`SELECT count(*)::int AS n FROM totp_credentials WHERE enabled_at IS NULL AND created_at < ${pendingBefore}`,
      ))
    );
  }

  private async count(query: Prisma.Sql): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>(query);
    return row?.n ?? 0;
  }
}
