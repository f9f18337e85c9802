import { errorMessage } from "@/core/errors";
import type { ChainableCommander } from "ioredis";
import type { Clock, Logger, RevocationSnapshot, RevocationState, RevocationStore } from "@/core/ports";
import { remainingTtlSeconds, toTtlSeconds } from "./memory-store";
import { checkKeys, revocationKeys, revocationStateOf, type RevocationKeys } from "./redis-keys";
import type { RedisClient } from "./redis-client";

export interface RedisRevocationStoreOptions {
  /**
   * Use createRedisClient() (or pass the same options): `enableOfflineQueue: false`, a short
   * `commandTimeout`, `maxRetriesPerRequest: 1`, and a `retryStrategy` that never gives up.
   * The store listens to its events but never closes it.
   */
  redis: RedisClient;
  /** Namespace of every key, e.g. "rv:" (short: it is paid once per revoked session). */
  keyPrefix: string;
  /** revocationTtlSeconds(config): how long a revocation can still refuse a token. */
  ttlSeconds: number;
  /** The database's revocations and epoch changes since `since` (SessionRepository.recentRevocations). */
  loadSnapshot: (since: Date) => Promise<RevocationSnapshot>;
  logger: Logger;
  clock?: Clock;
}

const RAISE_EPOCH = "revocationRaiseEpoch";
/** Never lowers an epoch; refreshes the TTL on each raise (and extends it on an equal re-raise). */
const RAISE_EPOCH_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]))
local epoch = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
if current == nil or current < epoch then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
  return 1
end
if current == epoch and redis.call('TTL', KEYS[1]) < ttl then
  redis.call('EXPIRE', KEYS[1], ttl)
end
return 0`;

type RaiseEpoch = (key: string, epoch: string, ttlSeconds: number) => unknown;

/** Sets the marker only if the resync's witness key survived (no flush since the resync began). */
const MARK_READY = `if redis.call('DEL', KEYS[1]) == 1 then redis.call('SET', KEYS[2], '1') return 1 end return 0`;

/** Commands per pipeline when a resync writes a large snapshot. */
const RESYNC_BATCH = 1000;
const MAX_SYNC_BACKOFF_MS = 30_000;

/**
 * Revocations in Redis, shared by every instance.
 *
 * Keys: `${p}s:${sid}` = "1" and `${p}e:${uid}` = epoch, both expiring after `ttlSeconds`, and the
 * marker `${p}ready` (no TTL) meaning "this Redis holds every revocation of the last ttlSeconds".
 * `check` is one MGET of the three. A Redis that lost its data (flush, restart) lost the marker
 * too: `check` returns null, so the caller asks the database, until a resync from
 * `loadSnapshot` has written the window back and set the marker again.
 *
 * The store also distrusts itself (every `check` returns null) from start-up until the marker is
 * seen, after any connection loss until a full resync has completed on the new connection (a
 * revocation written to the database meanwhile is not in Redis), and after a failed write until a
 * resync has run. Redis must not evict keys (`maxmemory-policy noeviction`): an evicted key would
 * silently un-revoke a session while the marker stays.
 */
export class RedisRevocationStore implements RevocationStore {
  readonly kind = "redis" as const;
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly keys: RevocationKeys;
  private readonly ttlSeconds: number;
  private readonly loadSnapshot: (since: Date) => Promise<RevocationSnapshot>;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly detach: () => void;

  private trusted = false;
  /** Bumped whenever trust is lost, so a sync that straddles a loss does not restore trust. */
  private generation = 0;
  /** Set by connection losses and failed writes: the marker alone no longer proves completeness. */
  private needsFullResync = false;
  private syncing: Promise<boolean> | null = null;
  private syncAgain = false;
  private syncFailures = 0;
  private nextSyncAttempt = 0;
  private readFailing = false;
  private markerMissingLogged = false;
  private disposed = false;

  constructor(options: RedisRevocationStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
    this.keys = revocationKeys(options.keyPrefix);
    this.ttlSeconds = toTtlSeconds(options.ttlSeconds);
    this.loadSnapshot = options.loadSnapshot;
    this.logger = options.logger;
    this.clock = options.clock ?? Date.now;
    this.redis.defineCommand(RAISE_EPOCH, { lua: RAISE_EPOCH_LUA, numberOfKeys: 1 });

    const onReady = () => void this.ensureReady();
    const onLost = (error?: unknown) => this.loseTrust("connection_lost", error);
    const onError = (error: unknown) => this.loseTrust("connection_error", error);
    this.redis.on("ready", onReady);
    this.redis.on("close", onLost);
    this.redis.on("end", onLost);
    this.redis.on("error", onError);
    // Cluster only: a node left (failover, restart). The cluster stays "ready", but the new master
    // of our slot may lack the last writes (async replication): resync before trusting it again.
    const onNodeLost = () => this.loseTrust("cluster_node_lost");
    this.redis.on("-node", onNodeLost);
    this.detach = () => {
      this.redis.off("ready", onReady);
      this.redis.off("close", onLost);
      this.redis.off("end", onLost);
      this.redis.off("error", onError);
      this.redis.off("-node", onNodeLost);
    };

    if (this.redis.status === "ready") void this.ensureReady();
    // With lazyConnect nothing would ever connect: an untrusted check sends no command.
    else if (this.redis.status === "wait") this.redis.connect().catch(() => {});
  }

  /** True when `check` answers from Redis (for health checks and tests). */
  get isTrusted(): boolean {
    return this.trusted;
  }

  async check(sessionId: string, userId: string): Promise<RevocationState | null> {
    if (!this.trusted) {
      this.maybeSync();
      return null;
    }
    const generation = this.generation;
    let reply: (string | null)[];
    try {
      reply = await this.redis.mget(...checkKeys(this.keys, sessionId, userId));
    } catch (error) {
      if (!this.readFailing) {
        this.readFailing = true;
        this.logger.warn("revocation_store_read_failed", { error: errorMessage(error) });
      }
      return null;
    }
    if (this.readFailing) {
      this.readFailing = false;
      this.logger.info("revocation_store_read_recovered");
    }
    if (generation !== this.generation) return null;
    if (reply[0] == null) {
      if (!this.markerMissingLogged) {
        this.markerMissingLogged = true;
        this.logger.warn("revocation_store_marker_missing");
      }
      this.maybeSync();
      return null;
    }
    return revocationStateOf(reply);
  }

  async revokeSessions(sessionIds: string[], ttlSeconds: number): Promise<void> {
    if (sessionIds.length === 0) return;
    const ttl = toTtlSeconds(ttlSeconds);
    await this.write(() => {
      const pipeline = this.redis.pipeline();
      for (const id of sessionIds) pipeline.set(this.sessionKey(id), "1", "EX", ttl);
      return pipeline;
    });
  }

  async raiseEpoch(userId: string, epoch: number, ttlSeconds: number): Promise<void> {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`invalid epoch ${epoch}`);
    const ttl = toTtlSeconds(ttlSeconds);
    await this.write(() => {
      const pipeline = this.redis.pipeline();
      this.raiseEpochIn(pipeline, userId, epoch, ttl);
      return pipeline;
    });
  }

  /**
   * Makes the store trusted: checks the marker (unless a full resync is owed) and resyncs when
   * needed. At most one runs at a time; a call during a run schedules one more run after it.
   * Resolves to whether the store is trusted; never rejects.
   */
  ensureReady(): Promise<boolean> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    if (this.disposed) return Promise.resolve(false);
    if (this.redis.status !== "ready") return Promise.resolve(false); // the 'ready' event calls again
    const run = this.syncLoop().finally(() => {
      this.syncing = null;
    });
    this.syncing = run;
    return run;
  }

  /**
   * Writes every revocation of the last `ttlSeconds` from the database, then the marker.
   * Idempotent and safe to run from several instances at once: it only adds keys, and epochs only
   * rise. Public for operations; throws on failure.
   */
  async resync(): Promise<void> {
    // A flush between our writes and the marker would leave the marker on an empty Redis: a
    // witness key set first must still exist when the marker is set (atomically, in Lua).
    const witness = `${this.prefix}resync:${Math.random().toString(36).slice(2)}`;
    await this.redis.set(witness, "1", "EX", 300);
    const now = this.clock();
    const snapshot = await this.loadSnapshot(new Date(now - this.ttlSeconds * 1000));
    let pipeline = this.redis.pipeline();
    let queued = 0;
    const flush = async () => {
      if (queued > 0) assertPipelineOk(await pipeline.exec());
      pipeline = this.redis.pipeline();
      queued = 0;
    };
    for (const s of snapshot.sessions) {
      const ttl = remainingTtlSeconds(s.revokedAt, this.ttlSeconds, now);
      if (ttl <= 0) continue;
      pipeline.set(this.sessionKey(s.sessionId), "1", "EX", ttl);
      if (++queued >= RESYNC_BATCH) await flush();
    }
    for (const e of snapshot.epochs) {
      const ttl = remainingTtlSeconds(e.changedAt, this.ttlSeconds, now);
      if (ttl <= 0) continue;
      this.raiseEpochIn(pipeline, e.userId, e.epoch, ttl);
      if (++queued >= RESYNC_BATCH) await flush();
    }
    await flush();
    const marked = await this.redis.eval(MARK_READY, 2, witness, this.readyKey);
    if (marked !== 1) throw new Error("Redis was emptied during the resync; it will be retried");
    this.logger.info("revocation_store_resynced", {
      sessions: snapshot.sessions.length,
      epochs: snapshot.epochs.length,
    });
  }

  /** Stops listening to the client (which stays open: it belongs to the composition root). */
  dispose(): void {
    this.detach();
    this.disposed = true;
    this.generation++;
    this.trusted = false;
  }

  private get readyKey(): string {
    return this.keys.ready;
  }

  private sessionKey(sessionId: string): string {
    return this.keys.session(sessionId);
  }

  private epochKey(userId: string): string {
    return this.keys.epoch(userId);
  }

  private raiseEpochIn(pipeline: ChainableCommander, userId: string, epoch: number, ttl: number): void {
    const raise = (pipeline as unknown as Record<typeof RAISE_EPOCH, RaiseEpoch>)[RAISE_EPOCH];
    raise.call(pipeline, this.epochKey(userId), String(epoch), ttl);
  }

  private async write(build: () => ChainableCommander): Promise<void> {
    try {
      assertPipelineOk(await build().exec());
    } catch (error) {
      // The database has this revocation and Redis may not: distrust Redis until a resync.
      this.loseTrust("write_failed", error);
      void this.ensureReady();
      throw error;
    }
  }

  private loseTrust(reason: string, error?: unknown): void {
    this.generation++;
    this.needsFullResync = true;
    if (!this.trusted) return; // already untrusted: one log line per outage
    this.trusted = false;
    this.logger.warn("revocation_store_untrusted", { reason, ...(error ? { error: errorMessage(error) } : {}) });
  }

  /** From `check`: resync when untrusted or the marker is gone, without hammering a failing database. */
  private maybeSync(): void {
    if (this.syncing || this.disposed || this.redis.status !== "ready" || this.clock() < this.nextSyncAttempt) return;
    void this.ensureReady();
  }

  private async syncLoop(): Promise<boolean> {
    let trusted = false;
    do {
      this.syncAgain = false;
      trusted = await this.syncOnce();
    } while (this.syncAgain && !trusted && this.redis.status === "ready");
    return trusted;
  }

  private async syncOnce(): Promise<boolean> {
    const generation = this.generation;
    try {
      const marker = this.needsFullResync ? null : await this.redis.get(this.readyKey);
      if (marker == null) await this.resync();
    } catch (error) {
      this.syncFailures++;
      this.nextSyncAttempt = this.clock() + Math.min(1000 * 2 ** (this.syncFailures - 1), MAX_SYNC_BACKOFF_MS);
      if (this.syncFailures === 1) this.logger.warn("revocation_store_resync_failed", { error: errorMessage(error) });
      return false;
    }
    this.syncFailures = 0;
    this.nextSyncAttempt = 0;
    this.markerMissingLogged = false;
    if (generation !== this.generation) return false; // trust was lost meanwhile: run again later
    this.needsFullResync = false;
    if (!this.trusted) {
      this.trusted = true;
      this.logger.info("revocation_store_trusted");
    }
    return true;
  }
}

function assertPipelineOk(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error("Redis pipeline was not executed");
  for (const [error] of results) if (error) throw error;
}
