import { errorMessage } from "@/core/errors";
import type { Clock, Logger, RevocationSnapshot, RevocationState, RevocationStore } from "@/core/ports";

/** Validates a TTL and rounds it up to whole seconds (what Redis' EX accepts). */
export function toTtlSeconds(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`revocation TTL must be a positive number of seconds, got ${ttlSeconds}`);
  }
  return Math.ceil(ttlSeconds);
}

/**
 * Seconds a snapshot entry must still be remembered: until `at + ttlSeconds`, never more than
 * `ttlSeconds` from now (a clock ahead of ours must not stretch it). 0 when already expired.
 */
export function remainingTtlSeconds(at: Date, ttlSeconds: number, nowMs: number): number {
  const remaining = Math.ceil((at.getTime() + ttlSeconds * 1000 - nowMs) / 1000);
  return Math.max(0, Math.min(ttlSeconds, remaining));
}

export interface MemoryRevocationStoreOptions {
  /** Sweep expired entries after at least this many writes (default 1000). */
  sweepEvery?: number;
  /**
   * Optional warm-up from the database. A restarted process has forgotten what it revoked in the
   * last `ttlSeconds`, while the access tokens of those sessions are still valid for that long.
   * When given, `check` returns null (the caller asks the database) until the snapshot is loaded;
   * a failed load is retried by a later `check`, at most once per `retryMs` (default 1000).
   */
  seed?: {
    loadSnapshot: (since: Date) => Promise<RevocationSnapshot>;
    ttlSeconds: number;
    logger?: Logger;
    retryMs?: number;
  };
}

/**
 * The revocation store of a single instance running without Redis. It is the only copy of what it
 * holds, so it answers every check (never null), except while warming up when `seed` is given.
 * Use Redis when running several instances: each would otherwise know only its own revocations.
 *
 * Memory stays bounded by recent revocations: expired entries are dropped when read, and swept
 * lazily once the writes since the last sweep reach max(sweepEvery, half the entries): at most about
 * twice the live entries are held, and a sweep costs O(1) per write amortised. No timer, so nothing
 * keeps the process alive.
 */
export class MemoryRevocationStore implements RevocationStore {
  readonly kind = "memory" as const;
  private readonly sessions = new Map<string, number>();
  private readonly epochs = new Map<string, { epoch: number; expiresAt: number }>();
  private readonly sweepEvery: number;
  private writesSinceSweep = 0;
  private readonly seed: MemoryRevocationStoreOptions["seed"];
  private seeded: boolean;
  private seeding: Promise<void> | null = null;
  private nextSeedAttempt = 0;

  constructor(
    private readonly clock: Clock = Date.now,
    options: MemoryRevocationStoreOptions = {},
  ) {
    this.sweepEvery = Math.max(1, options.sweepEvery ?? 1000);
    this.seed = options.seed;
    this.seeded = !options.seed;
    if (!this.seeded) void this.warmUp();
  }

  /** Resolves once a seed attempt is over (at once without `seed`); never rejects. */
  warmUp(): Promise<void> {
    const seed = this.seed;
    if (this.seeded || !seed) return Promise.resolve();
    this.seeding ??= this.loadSeed(seed).finally(() => {
      this.seeding = null;
    });
    return this.seeding;
  }

  /** False only while a `seed` has not been loaded yet. */
  get isReady(): boolean {
    return this.seeded;
  }

  async check(sessionId: string, userId: string): Promise<RevocationState | null> {
    const now = this.clock();
    if (!this.seeded) {
      if (!this.seeding && now >= this.nextSeedAttempt) void this.warmUp();
      return null;
    }
    let sessionRevoked = false;
    const sessionExpiry = this.sessions.get(sessionId);
    if (sessionExpiry !== undefined) {
      if (sessionExpiry > now) sessionRevoked = true;
      else this.sessions.delete(sessionId);
    }
    let minEpoch: number | null = null;
    const epoch = this.epochs.get(userId);
    if (epoch) {
      if (epoch.expiresAt > now) minEpoch = epoch.epoch;
      else this.epochs.delete(userId);
    }
    return { sessionRevoked, minEpoch };
  }

  async revokeSessions(sessionIds: string[], ttlSeconds: number): Promise<void> {
    const expiresAt = this.clock() + toTtlSeconds(ttlSeconds) * 1000;
    for (const id of sessionIds) this.setSession(id, expiresAt);
    this.afterWrites(sessionIds.length);
  }

  async raiseEpoch(userId: string, epoch: number, ttlSeconds: number): Promise<void> {
    const now = this.clock();
    this.setEpoch(userId, epoch, now + toTtlSeconds(ttlSeconds) * 1000, now);
    this.afterWrites(1);
  }

  /** Drops expired entries; returns how many. Called lazily by writes, public for tests and ops. */
  sweep(): number {
    const now = this.clock();
    let removed = 0;
    for (const [id, expiresAt] of this.sessions) {
      if (expiresAt <= now) {
        this.sessions.delete(id);
        removed++;
      }
    }
    for (const [id, entry] of this.epochs) {
      if (entry.expiresAt <= now) {
        this.epochs.delete(id);
        removed++;
      }
    }
    this.writesSinceSweep = 0;
    return removed;
  }

  /** Entries held, expired or not yet swept (for tests and metrics). */
  get size(): number {
    return this.sessions.size + this.epochs.size;
  }

  private async loadSeed(seed: NonNullable<MemoryRevocationStoreOptions["seed"]>): Promise<void> {
    const now = this.clock();
    try {
      const ttl = toTtlSeconds(seed.ttlSeconds);
      const snapshot = await seed.loadSnapshot(new Date(now - ttl * 1000));
      // Merged with what was written meanwhile: both only ever extend or raise.
      for (const s of snapshot.sessions) {
        const remaining = remainingTtlSeconds(s.revokedAt, ttl, now);
        if (remaining > 0) this.setSession(s.sessionId, now + remaining * 1000);
      }
      for (const e of snapshot.epochs) {
        const remaining = remainingTtlSeconds(e.changedAt, ttl, now);
        if (remaining > 0) this.setEpoch(e.userId, e.epoch, now + remaining * 1000, now);
      }
      this.seeded = true;
    } catch (error) {
      this.nextSeedAttempt = this.clock() + (seed.retryMs ?? 1000);
      seed.logger?.warn("revocation_store_seed_failed", { error: errorMessage(error) });
    }
  }

  private setSession(id: string, expiresAt: number): void {
    const current = this.sessions.get(id);
    this.sessions.set(id, current === undefined ? expiresAt : Math.max(current, expiresAt));
  }

  private setEpoch(userId: string, epoch: number, expiresAt: number, now: number): void {
    const current = this.epochs.get(userId);
    if (!current || current.expiresAt <= now || current.epoch < epoch) {
      this.epochs.set(userId, { epoch, expiresAt });
    } else if (current.epoch === epoch && current.expiresAt < expiresAt) {
      current.expiresAt = expiresAt;
    }
    // A lower epoch than the live one is stale (a late or replayed write): it never lowers it.
  }

  private afterWrites(count: number): void {
    this.writesSinceSweep += count;
    if (this.writesSinceSweep >= Math.max(this.sweepEvery, this.size / 2)) this.sweep();
  }
}
