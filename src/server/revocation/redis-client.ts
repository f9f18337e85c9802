import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import type { Env } from "../env";
import type { HostPort } from "../env-redis";

/** One server, a Sentinel-managed master, or a Cluster: the store, notifier and limiter take any. */
export type RedisClient = Redis | Cluster;

/** Which Redis the app talks to, from the validated environment (env.ts / env-redis.ts). */
export type RedisTopology =
  | { kind: "standalone"; url: string }
  | ({ kind: "sentinel"; sentinels: HostPort[]; name: string; sentinelPassword?: string; db?: number } & NodeAuth)
  | ({ kind: "cluster"; nodes: HostPort[] } & NodeAuth);

interface NodeAuth {
  username?: string;
  password?: string;
  tls: boolean;
}

/** The topology the environment names, or null for the in-process store. */
export function redisTopology(env: Env): RedisTopology | null {
  const auth: NodeAuth = { username: env.REDIS_USERNAME, password: env.REDIS_PASSWORD, tls: env.REDIS_TLS };
  if (env.REDIS_URL) return { kind: "standalone", url: env.REDIS_URL };
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME) {
    return {
      kind: "sentinel",
      sentinels: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      db: env.REDIS_DB,
      ...auth,
    };
  }
  if (env.REDIS_CLUSTER_NODES) return { kind: "cluster", nodes: env.REDIS_CLUSTER_NODES, ...auth };
  return null;
}

/** Reconnect forever, with capped exponential backoff plus jitter so a fleet does not stampede. */
const backoff = (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000) + Math.floor(Math.random() * 100);

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
  retryStrategy: backoff,
} satisfies RedisOptions;

/**
 * Sentinel: the same fail-fast options, plus what makes a failover work. On every (re)connection
 * ioredis asks the sentinels for the current master and checks its role. `failoverDetector` listens
 * to the sentinels' +switch-master and drops the connection at once (otherwise an old master that
 * is still up keeps taking writes until Sentinel demotes it, several seconds later); a READONLY reply
 * (we reached a demoted master) reconnects too. Every drop makes the store distrust Redis until a
 * resync from the database has rewritten what the failover may have lost (replication is async).
 */
const SENTINEL_OPTIONS = {
  failoverDetector: true,
  sentinelRetryStrategy: backoff,
  // A sentinel that accepts the connection but does not answer must not stall the resolution.
  sentinelCommandTimeout: 1_000,
  reconnectOnError: (error: Error) => error.message.startsWith("READONLY"),
} satisfies RedisOptions;

export interface ClientOptions {
  /** Shown by CLIENT LIST: which part of the app holds the connection. */
  connectionName?: string;
}

/** A client for the revocation store, notifier and rate limiter, with the options above. */
export function createRedisClient(url: string, opts?: ClientOptions): Redis;
export function createRedisClient(topology: RedisTopology, opts?: ClientOptions): RedisClient;
export function createRedisClient(target: string | RedisTopology, opts: ClientOptions = {}): RedisClient {
  const topology: RedisTopology = typeof target === "string" ? { kind: "standalone", url: target } : target;
  switch (topology.kind) {
    case "standalone":
      return new Redis(topology.url, { ...REVOCATION_REDIS_OPTIONS, ...opts });
    case "sentinel": {
      const tls = topology.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {};
      return new Redis({
        ...REVOCATION_REDIS_OPTIONS,
        ...SENTINEL_OPTIONS,
        ...tls,
        sentinels: topology.sentinels,
        name: topology.name,
        sentinelPassword: topology.sentinelPassword,
        username: topology.username,
        password: topology.password,
        db: topology.db ?? 0,
        ...opts,
      });
    }
    case "cluster": {
      const { retryStrategy, enableOfflineQueue, lazyConnect, enableAutoPipelining, ...perNode } =
        REVOCATION_REDIS_OPTIONS;
      const options: ClusterOptions = {
        // Cluster-wide: no offline queue (a command fails at once while the cluster is not ready),
        // and the whole-cluster reconnection never gives up. Per node: the command timeout etc.
        enableOfflineQueue,
        lazyConnect,
        enableAutoPipelining,
        clusterRetryStrategy: retryStrategy,
        // A CLUSTERDOWN or lost connection is retried every 100 ms up to this many times (default
        // 16, i.e. a request stalled 1.6 s during a failover); a MOVED needs one or two.
        maxRedirections: 5,
        redisOptions: {
          ...perNode,
          username: topology.username,
          password: topology.password,
          ...(topology.tls ? { tls: {} } : {}),
          ...opts,
        },
      };
      return new Cluster(topology.nodes, options);
    }
  }
}

/**
 * A dedicated connection for SUBSCRIBE, like `client` but waiting instead of failing fast: SUBSCRIBE
 * must wait for the connection (and is re-sent on reconnect by autoResubscribe), unlike the hot-path
 * commands of the shared client. On a Cluster, ioredis subscribes on one node of its choice, which
 * hears every PUBLISH of the cluster; it moves to another node when that one leaves.
 */
export function createSubscriberClient(client: RedisClient): RedisClient {
  const waiting = { commandTimeout: undefined, maxRetriesPerRequest: null, autoResubscribe: true };
  if (client instanceof Cluster) {
    return client.duplicate([], {
      enableOfflineQueue: true,
      enableAutoPipelining: false,
      lazyConnect: false,
      redisOptions: waiting,
    });
  }
  return client.duplicate({ ...waiting, enableOfflineQueue: true, enableAutoPipelining: false, lazyConnect: false });
}
