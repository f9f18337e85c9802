import { describe, expect, it } from "vitest";
import { runCleanup, type CleanupPolicy, type CleanupRepository } from "@/core/cleanup";
import { revocationTtlSeconds } from "@/core/config";
import { testConfig } from "../support/fakes";

const DAY = 86_400;
const NOW = Date.UTC(2026, 5, 1, 12);

/** Rows with the moment they ended (sessions) or were written (events); deletes honour the limit. */
class FakeCleanupRepository implements CleanupRepository {
  calls: string[] = [];
  constructor(
    public sessions: Date[],
    public events: Date[],
    /** Link tokens by expiry. */
    public links: Date[] = [],
    /** Sign-in challenges by expiry. */
    public challenges: Date[] = [],
    /** Unconfirmed TOTP set-ups by the time they were started. */
    public pendingTotp: Date[] = [],
  ) {}
  private remove(
    table: "sessions" | "events" | "links" | "challenges" | "pendingTotp",
    cutoff: Date,
    limit: number,
  ): number {
    this.calls.push(`${table}:${limit}`);
    const doomed = this[table].filter((d) => d < cutoff).slice(0, limit);
    this[table] = this[table].filter((d) => !doomed.includes(d));
    return doomed.length;
  }
  async deleteEndedSessions(cutoff: Date, limit: number) {
    return this.remove("sessions", cutoff, limit);
  }
  async countEndedSessions(cutoff: Date) {
    return this.sessions.filter((d) => d < cutoff).length;
  }
  async deleteEventsBefore(cutoff: Date, limit: number) {
    return this.remove("events", cutoff, limit);
  }
  async countEventsBefore(cutoff: Date) {
    return this.events.filter((d) => d < cutoff).length;
  }
  async deleteExpiredLinks(now: Date, limit: number) {
    return this.remove("links", now, limit);
  }
  async countExpiredLinks(now: Date) {
    return this.links.filter((d) => d < now).length;
  }
  async deleteExpiredChallenges(now: Date, pendingBefore: Date, limit: number) {
    const challenges = this.remove("challenges", now, limit);
    return challenges + (challenges < limit ? this.remove("pendingTotp", pendingBefore, limit - challenges) : 0);
  }
  async countExpiredChallenges(now: Date, pendingBefore: Date) {
    return this.challenges.filter((d) => d < now).length + this.pendingTotp.filter((d) => d < pendingBefore).length;
  }
}

const daysAgo = (days: number, count = 1) =>
  Array.from({ length: count }, (_, i) => new Date(NOW - days * DAY * 1000 - i));
const policy: CleanupPolicy = { sessionRetentionSeconds: 30 * DAY, eventRetentionSeconds: 90 * DAY };
const run = (repository: CleanupRepository, options: { dryRun?: boolean; batchSize?: number } = {}, p = policy) =>
  runCleanup({ repository, config: testConfig, clock: () => NOW }, p, {
    dryRun: options.dryRun ?? false,
    batchSize: options.batchSize ?? 1000,
  });

describe("db:cleanup decisions", () => {
  it("deletes sessions that ended before the retention and events older than theirs, and keeps the rest", async () => {
    const repository = new FakeCleanupRepository(
      [...daysAgo(31, 3), ...daysAgo(29, 2)],
      [...daysAgo(91, 4), ...daysAgo(89)],
    );
    const report = await run(repository);
    expect(report).toMatchObject({ dryRun: false, sessions: 3, events: 4 });
    expect(report.sessionCutoff).toEqual(new Date(NOW - 30 * DAY * 1000));
    expect(report.eventCutoff).toEqual(new Date(NOW - 90 * DAY * 1000));
    expect(repository.sessions).toHaveLength(2);
    expect(repository.events).toHaveLength(1);
  });

  it("deletes in bounded batches until one comes back short", async () => {
    const repository = new FakeCleanupRepository(daysAgo(40, 25), daysAgo(100, 10));
    const report = await run(repository, { batchSize: 10 });
    expect(report).toMatchObject({ sessions: 25, events: 10 });
    expect(repository.calls).toEqual([
      "sessions:10",
      "sessions:10",
      "sessions:10",
      "events:10",
      "events:10",
      "links:10",
      "challenges:10",
      "pendingTotp:10",
    ]);
  });

  it("a dry run counts the same rows and deletes nothing", async () => {
    const repository = new FakeCleanupRepository([...daysAgo(31, 3), ...daysAgo(1)], daysAgo(91, 2));
    expect(await run(repository, { dryRun: true })).toMatchObject({ dryRun: true, sessions: 3, events: 2 });
    expect(repository.calls).toEqual([]);
    expect(repository.sessions).toHaveLength(4);
    expect(await run(repository)).toMatchObject({ sessions: 3, events: 2 });
  });

  it("EVENT_RETENTION_DAYS=0 keeps every event", async () => {
    const repository = new FakeCleanupRepository(daysAgo(31), daysAgo(5000, 3));
    const report = await run(repository, {}, { ...policy, eventRetentionSeconds: 0 });
    expect(report).toMatchObject({ sessions: 1, events: null, eventCutoff: null });
    expect(repository.events).toHaveLength(3);
    expect(repository.calls.some((c) => c.startsWith("events"))).toBe(false);
  });

  it("never deletes a session whose tokens could still be alive: the retention is at least the revocation window", async () => {
    const windowSeconds = revocationTtlSeconds(testConfig);
    const justInside = new Date(NOW - (windowSeconds - 1) * 1000);
    const justOutside = new Date(NOW - (windowSeconds + 1) * 1000);
    const repository = new FakeCleanupRepository([justInside, justOutside], []);
    const report = await run(repository, {}, { sessionRetentionSeconds: 0, eventRetentionSeconds: 0 });
    expect(report.sessions).toBe(1);
    expect(repository.sessions).toEqual([justInside]);
  });

  it("deletes emailed links once expired, never one that still works; a dry run only counts them", async () => {
    const expired = [new Date(NOW - 1), new Date(NOW - DAY * 1000)];
    const working = [new Date(NOW + 60_000)];
    const repository = new FakeCleanupRepository([], [], [...expired, ...working]);
    expect((await run(repository, { dryRun: true })).links).toBe(2);
    expect(repository.links).toHaveLength(3);
    expect((await run(repository, { batchSize: 1 })).links).toBe(2);
    expect(repository.links).toEqual(working);
  });

  it("deletes expired sign-in challenges and TOTP set-ups left unconfirmed for a day, never a live one", async () => {
    const expired = [new Date(NOW - 1), new Date(NOW - 600_000)];
    const live = [new Date(NOW + 60_000)];
    const stale = [new Date(NOW - (DAY + 1) * 1000)];
    const recent = [new Date(NOW - 3600_000)];
    const repository = new FakeCleanupRepository([], [], [], [...expired, ...live], [...stale, ...recent]);
    expect((await run(repository, { dryRun: true })).challenges).toBe(3);
    expect(repository.challenges).toHaveLength(3);
    expect((await run(repository, { batchSize: 1 })).challenges).toBe(3);
    expect(repository.challenges).toEqual(live);
    expect(repository.pendingTotp).toEqual(recent);
  });

  it("refuses a batch size that is not a positive integer", async () => {
    const repository = new FakeCleanupRepository([], []);
    await expect(run(repository, { batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(run(repository, { batchSize: 1.5 })).rejects.toThrow(RangeError);
  });
});
