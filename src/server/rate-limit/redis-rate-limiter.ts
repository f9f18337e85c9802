import type { RateLimiter } from "@/core/ports";
import type { RedisClient } from "../revocation/redis-client";

/** INCR and, on the first hit of a window, EXPIRE: atomic, one round trip. */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * Counters shared by every instance. When Redis cannot answer, the fallback (per-instance memory)
 * counts instead: limits stay in force, only per instance, until Redis is back.
 */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly fallback: RateLimiter,
  ) {}

  async hit(key: string, windowSeconds: number) {
    try {
      const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, String(windowSeconds))) as [
        number,
        number,
      ];
      return { count, resetInSeconds: ttl };
    } catch {
      return this.fallback.hit(key, windowSeconds);
    }
  }

  async peek(key: string) {
    try {
      const [count, ttl] = await Promise.all([this.redis.get(this.prefix + key), this.redis.ttl(this.prefix + key)]);
      return { count: Number(count ?? 0), resetInSeconds: Math.max(0, ttl) };
    } catch {
      return this.fallback.peek(key);
    }
  }

  async reset(key: string) {
    await Promise.all([this.redis.del(this.prefix + key).catch(() => 0), this.fallback.reset(key)]);
  }
}
