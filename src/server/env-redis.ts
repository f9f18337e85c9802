import { z } from "zod";

/**
 * The Redis part of the environment (see env.ts, which composes it): one topology at most, named by
 * REDIS_URL (one server), REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) or REDIS_CLUSTER_NODES. The rules
 * live here so env.ts stays a flat list; they only validate what env.ts hands them.
 */
export interface HostPort {
  host: string;
  port: number;
}

/** Unset and "" (as docker compose passes an empty variable) both mean "not configured". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** "host:port,host:port" → [{host, port}]; IPv6 as "[::1]:26379". */
const hostPorts = (what: string) =>
  optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const entries = value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const parsed: HostPort[] = [];
    for (const entry of entries) {
      const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(entry);
      const port = match ? Number(match[2]) : 0;
      if (!match || port < 1 || port > 65535) {
        ctx.addIssue({ code: "custom", message: `"${entry}" is not host:port (a comma-separated list of ${what})` });
        return z.NEVER;
      }
      parsed.push({ host: match[1]!.replace(/^\[|\]$/g, ""), port });
    }
    if (parsed.length === 0) {
      ctx.addIssue({ code: "custom", message: `lists no ${what}` });
      return z.NEVER;
    }
    return parsed;
  });

export const redisEnvFields = {
  /** Redis Sentinel: the sentinels to ask for the current master (instead of REDIS_URL). */
  REDIS_SENTINELS: hostPorts("sentinels"),
  /** The master group name of `sentinel monitor <name> ...`; required with REDIS_SENTINELS. */
  REDIS_SENTINEL_NAME: optionalText,
  /** The sentinels' own `requirepass`, if any (not the data nodes' password). */
  REDIS_SENTINEL_PASSWORD: optionalText,
  /** Redis Cluster: some of its nodes, the rest is discovered (instead of REDIS_URL). */
  REDIS_CLUSTER_NODES: hostPorts("cluster nodes"),
  /** Sentinel or Cluster only (REDIS_URL carries its own): ACL user and password of the data nodes. */
  REDIS_USERNAME: optionalText,
  REDIS_PASSWORD: optionalText,
  /** Sentinel or Cluster only (REDIS_URL says rediss://): TLS to the data nodes, and to the sentinels. */
  REDIS_TLS: z
    .enum(["", "0", "1", "true", "false"])
    .default("")
    .transform((v) => v === "1" || v === "true"),
  /** Sentinel only (REDIS_URL says /<db>; a Cluster has database 0 only). */
  REDIS_DB: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).optional()),
};

type RedisEnv = z.output<z.ZodObject<typeof redisEnvFields>> & { REDIS_URL?: string; REDIS_KEY_PREFIX?: string };

/** The prefix every key gets when REDIS_KEY_PREFIX is unset. */
export const DEFAULT_KEY_PREFIX = "rjs:";
/** On a Cluster the hash tag puts every key of the app in one slot (see ADR 0010). */
export const DEFAULT_CLUSTER_KEY_PREFIX = "{rjs}:";

/**
 * True when the prefix holds a Redis Cluster hash tag: the first "{" followed, later, by a "}" with
 * at least one character between them. Only that part of a key is hashed, so every key starting with
 * this prefix lands in the same slot, whatever follows it.
 */
export function hasHashTag(prefix: string): boolean {
  return /^[^{]*\{[^}]+\}/.test(prefix);
}

/** Cross-variable rules: half-configured or conflicting combinations stop the boot with a clear message. */
export function checkRedisEnv(env: RedisEnv, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const topologies = (["REDIS_URL", "REDIS_SENTINELS", "REDIS_CLUSTER_NODES"] as const).filter(
    (name) => env[name] !== undefined,
  );
  if (topologies.length > 1) {
    for (const name of topologies) issue(name, `set only one of ${topologies.join(", ")} (one Redis topology)`);
    return;
  }
  const sentinel = env.REDIS_SENTINELS !== undefined;
  const cluster = env.REDIS_CLUSTER_NODES !== undefined;
  if (sentinel && !env.REDIS_SENTINEL_NAME)
    issue("REDIS_SENTINEL_NAME", "is required with REDIS_SENTINELS (the name in `sentinel monitor <name> ...`)");
  if (!sentinel) {
    for (const name of ["REDIS_SENTINEL_NAME", "REDIS_SENTINEL_PASSWORD"] as const) {
      if (env[name] !== undefined) issue(name, "only applies with REDIS_SENTINELS");
    }
  }
  if (!sentinel && !cluster) {
    const hint =
      "only applies with REDIS_SENTINELS or REDIS_CLUSTER_NODES (with REDIS_URL, write it in the URL: rediss://user:password@host:6379/db)";
    for (const name of ["REDIS_USERNAME", "REDIS_PASSWORD", "REDIS_DB"] as const)
      if (env[name] !== undefined) issue(name, hint);
    if (env.REDIS_TLS) issue("REDIS_TLS", hint);
  }
  if (cluster && env.REDIS_DB !== undefined && env.REDIS_DB !== 0)
    issue("REDIS_DB", "a Redis Cluster has database 0 only");
  if (cluster && env.REDIS_KEY_PREFIX !== undefined && !hasHashTag(env.REDIS_KEY_PREFIX)) {
    issue(
      "REDIS_KEY_PREFIX",
      `must contain a hash tag with REDIS_CLUSTER_NODES, e.g. "${DEFAULT_CLUSTER_KEY_PREFIX}" (the default there): the app's multi-key commands need all its keys in one slot`,
    );
  }
}

/** Fills in the topology-dependent default of REDIS_KEY_PREFIX. */
export function withRedisDefaults<T extends RedisEnv>(env: T): T & { REDIS_KEY_PREFIX: string } {
  const fallback = env.REDIS_CLUSTER_NODES ? DEFAULT_CLUSTER_KEY_PREFIX : DEFAULT_KEY_PREFIX;
  return { ...env, REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX ?? fallback };
}
