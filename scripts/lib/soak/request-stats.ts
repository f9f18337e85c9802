export interface ActionStats {
  requests: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SlowRequest {
  action: string;
  ms: number;
  /** When it was sent: seconds since the clock started (negative: during set-up). */
  atSeconds: number;
  status: number;
}

const SLOWEST_KEPT = 10;

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Latency and status code of every request, per action, and the slowest requests. */
export class RequestStats {
  private readonly latencies = new Map<string, number[]>();
  private readonly statuses = new Map<string, Record<string, number>>();
  /** atMs: performance.now() when the request was sent. */
  private readonly slowest: { action: string; ms: number; atMs: number; status: number }[] = [];

  /** `status` 0: no response (transport error or timeout). */
  record(action: string, ms: number, sentAtMs: number, status: number): void {
    if (this.slowest.length < SLOWEST_KEPT || ms > this.slowest[this.slowest.length - 1]!.ms) {
      this.slowest.push({ action, ms, atMs: sentAtMs, status });
      this.slowest.sort((a, b) => b.ms - a.ms);
      this.slowest.length = Math.min(this.slowest.length, SLOWEST_KEPT);
    }
    let list = this.latencies.get(action);
    if (!list) this.latencies.set(action, (list = []));
    list.push(ms);
    let byStatus = this.statuses.get(action);
    if (!byStatus) this.statuses.set(action, (byStatus = {}));
    const key = status === 0 ? "error" : String(status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }

  byAction(): Record<string, ActionStats> {
    const actions: Record<string, ActionStats> = {};
    for (const [action, list] of this.latencies) {
      const sorted = [...list].sort((a, b) => a - b);
      actions[action] = {
        requests: list.length,
        statuses: this.statuses.get(action) ?? {},
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        maxMs: sorted[sorted.length - 1] ?? 0,
      };
    }
    return actions;
  }

  /** The slowest requests, timed from `startedMs` (the performance.now() the clock started at). */
  slowestSince(startedMs: number): SlowRequest[] {
    return this.slowest.map(({ action, ms, atMs, status }) => ({
      action,
      ms,
      atSeconds: (atMs - startedMs) / 1000,
      status,
    }));
  }
}
