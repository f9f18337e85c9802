import { performance } from "node:perf_hooks";
import type { RequestStats } from "./request-stats";
import { Semaphore } from "./semaphore";
import type { Tally } from "./tally";

/** A request's outcome, with the sequence numbers of its sending and of its response's arrival. */
export interface Sent {
  /** 0: no response (transport error or timeout). */
  status: number;
  body: Record<string, unknown>;
  sentSeq: number;
  doneSeq: number;
  error?: string;
}

export interface Outgoing {
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  form?: Record<string, string>;
  json?: unknown;
  userAgent?: string;
}

/**
 * The load driver: every request of the soak goes through `send`, which keeps at most
 * `concurrency` in flight, numbers the moments a request is sent and its response arrives (one JS
 * thread: these events are totally ordered, which is the model's notion of time), records its
 * latency and counts 5xx, 429 and transport errors as failures.
 */
export class LoadDriver {
  private seq = 0;
  private readonly slots: Semaphore;

  constructor(
    private readonly baseUrl: string,
    concurrency: number,
    private readonly timeoutMs: number,
    private readonly stats: RequestStats,
    private readonly tally: Tally,
  ) {
    this.slots = new Semaphore(concurrency);
  }

  async send(action: string, method: string, path: string, request: Outgoing = {}): Promise<Sent> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (request.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    }
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.userAgent) headers["user-agent"] = request.userAgent;

    await this.slots.acquire();
    const sentSeq = ++this.seq;
    const startedAtMs = performance.now();
    let status = 0;
    let parsed: Record<string, unknown> = {};
    let error: string | undefined;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      status = res.status;
      if (text) {
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = { nonJson: text.slice(0, 200) };
        }
      }
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    } finally {
      this.slots.release();
    }
    const doneSeq = ++this.seq;
    const ms = performance.now() - startedAtMs;

    const counters = this.tally.counters;
    counters.requests += 1;
    this.stats.record(action, ms, startedAtMs, status);
    if (status === 0) {
      counters.networkErrors += 1;
      this.tally.fail(`${action}: ${method} ${path} failed without a response: ${error}`);
    } else if (status >= 500) {
      counters.fiveXX += 1;
      this.tally.fail(`${action}: ${method} ${path} answered ${status} ${JSON.stringify(parsed).slice(0, 200)}`);
    } else if (status === 429) {
      counters.tooManyRequests += 1;
      this.tally.fail(`${action}: ${method} ${path} answered 429 ${JSON.stringify(parsed).slice(0, 200)}`);
    }
    return { status, body: parsed, sentSeq, doneSeq, error };
  }
}
