import { Redis, type RedisOptions } from "ioredis";

/**
 * The options the revocation store relies on. The per-request check sits on the hot path, so a
 * command must fail fast when Redis is gone instead of waiting in ioredis' offline queue (its
 * default is to queue forever and retry 20 times): a fast failure lets the caller fall back to the
 * database at once. Reconnection itself never gives up.
 */
export const REVOCATION_REDIS_OPTIONS = {
  lazyConnect: false,
  enableAutoPipelining: true,
  // A reply slower than this is treated as an outage: the caller asks the database instead.
  commandTimeout: 500,
  // Fail commands while disconnected instead of queueing them (the queue is what hangs requests).
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  // Reconnect forever, with capped exponential backoff plus jitter so a fleet does not stampede.
  retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000) + Math.floor(Math.random() * 100),
} satisfies RedisOptions;

/**
 * A client for the revocation store and notifier. `opts` override the defaults above (e.g.
 * `connectionName`, `tls`); overriding `enableOfflineQueue` or `commandTimeout` brings back hangs.
 */
export function createRedisClient(url: string, opts: RedisOptions = {}): Redis {
  return new Redis(url, { ...REVOCATION_REDIS_OPTIONS, ...opts });
}
