// Messages between the benchmark (scripts/bench/load.ts) and its load-generator child
// (scripts/bench/load-child.ts), over the fork() IPC channel.

/** GET `path` with `Authorization: Bearer <token>`, tokens round-robin, via autocannon. */
export interface HttpJob {
  kind: "http";
  baseUrl: string;
  path: string;
  tokens: string[];
  connections: number;
  seconds: number;
}

/** Password sign-ins (POST /api/auth/token), `concurrency` loops, credentials round-robin. */
export interface SignInJob {
  kind: "signin";
  baseUrl: string;
  credentials: { email: string; password: string }[];
  concurrency: number;
  seconds: number;
}

/** Refresh-token chains: each loop owns one refresh token and rotates it, one request at a time. */
export interface RefreshJob {
  kind: "refresh";
  baseUrl: string;
  refreshTokens: string[];
  seconds: number;
}

export type LoadJob = HttpJob | SignInJob | RefreshJob;

export interface LoadResult {
  /** Successful (2xx) responses per second of measured time. */
  perSecond: number;
  ok: number;
  /** Every response that was not 2xx, by status ("error" for network errors and timeouts). */
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
}

export type ToChild = { id: number; job: LoadJob };
export type FromChild = { id: number; result: LoadResult } | { id: number; error: string };
