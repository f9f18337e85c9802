import type { Redis } from "ioredis";
import { createRedisClient } from "../../src/server/revocation/redis-client";
import { checkKeys, revocationKeys, revocationStateOf } from "../../src/server/revocation/redis-keys";
import type { TokenClaims } from "./access-token";
import type { Config } from "./config";

/** "unknown": this way of checking cannot tell right now (try the next one, else answer 503). */
export type Verdict = "accept" | "refuse" | "unknown";
export type RevocationCheck = (token: string, claims: TokenClaims) => Promise<Verdict>;

function warn(event: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: "warn", event, ...fields }));
}

/**
 * Way 1: read the revocation data the app writes to its Redis (one MGET, the app's own key layout
 * and reading of it). A missing `ready` marker (Redis flushed or restarted, the app not yet
 * resynced) or an unreachable Redis is "unknown", never "accept".
 */
export function redisCheck(redis: Redis, keyPrefix: string): RevocationCheck {
  const keys = revocationKeys(keyPrefix);
  return async (_token, claims) => {
    let reply: (string | null)[];
    try {
      reply = await redis.mget(...checkKeys(keys, claims.sid, claims.sub));
    } catch {
      return "unknown"; // fails fast (no offline queue): see createRedisClient
    }
    const state = revocationStateOf(reply);
    if (!state) return "unknown";
    return state.sessionRevoked || (state.minEpoch !== null && claims.sv < state.minEpoch) ? "refuse" : "accept";
  };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const form = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${form(clientId)}:${form(clientSecret)}`).toString("base64")}`;
}

/**
 * Way 2: ask the app (RFC 7662) on every request; it runs its full check. One HTTP round trip per
 * request, and no caching of answers: a cached "active" would outlive a revocation.
 */
export function introspectionCheck(introspection: NonNullable<Config["introspection"]>): RevocationCheck {
  const authorization = basicAuthorization(introspection.clientId, introspection.clientSecret);
  return async (token, claims) => {
    try {
      const res = await fetch(introspection.url, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        signal: AbortSignal.timeout(3000),
      });
      if (res.status !== 200) {
        // 401: our client credentials are wrong; 429 or 503: the app cannot answer now.
        warn("introspection_failed", { status: res.status });
        return "unknown";
      }
      const body = (await res.json()) as { active?: unknown; sub?: unknown; sid?: unknown };
      if (body.active === false) return "refuse";
      return body.active === true && body.sub === claims.sub && body.sid === claims.sid ? "accept" : "unknown";
    } catch (error) {
      warn("introspection_unreachable", { error: error instanceof Error ? error.message : String(error) });
      return "unknown";
    }
  };
}

/** The checks in order: the first that is sure decides. */
export function firstSure(checks: RevocationCheck[]): RevocationCheck {
  return async (token, claims) => {
    for (const check of checks) {
      const verdict = await check(token, claims);
      if (verdict !== "unknown") return verdict;
    }
    return "unknown";
  };
}

/** Redis first when configured (no HTTP call per request), introspection as the fallback or the only way. */
export function createRevocationCheck(config: Config): { check: RevocationCheck; redis?: Redis } {
  const checks: RevocationCheck[] = [];
  let redis: Redis | undefined;
  if (config.redis) {
    redis = createRedisClient(config.redis.url, { connectionName: "resource-server" });
    let down = false;
    redis.on("error", (error: Error) => {
      if (!down) warn("redis_unavailable", { error: error.message });
      down = true;
    });
    redis.on("ready", () => (down = false));
    checks.push(redisCheck(redis, config.redis.keyPrefix));
  }
  if (config.introspection) checks.push(introspectionCheck(config.introspection));
  return { check: firstSure(checks), redis };
}
