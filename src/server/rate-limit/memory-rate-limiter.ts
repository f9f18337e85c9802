import type { Clock, RateLimiter } from "@/core/ports";

/** Fixed windows in process memory: one instance, or the fallback while Redis is unreachable. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private hitsSinceSweep = 0;

  constructor(private readonly clock: Clock = Date.now) {}

  async hit(key: string, windowSeconds: number) {
    const now = this.clock();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetInSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }

  async peek(key: string) {
    const now = this.clock();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) return { count: 0, resetInSeconds: 0 };
    return { count: window.count, resetInSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }

  async reset(key: string) {
    this.windows.delete(key);
  }

  /** Bounded memory: expired windows are dropped every 1000 hits. */
  private sweep(now: number) {
    if (++this.hitsSinceSweep < 1000) return;
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
