export type SoakMove =
  | "me"
  | "refresh"
  | "sessions"
  | "replay"
  | "logout_local"
  | "delete_other"
  | "logout_others"
  | "logout_global"
  | "change_password";

/** Relative weights of what a signed-in device does next. */
export const DEFAULT_WEIGHTS: Record<SoakMove, number> = {
  me: 62,
  refresh: 14,
  sessions: 12,
  replay: 6,
  logout_local: 1.2,
  delete_other: 1.6,
  logout_others: 1,
  logout_global: 0.3,
  change_password: 0.25,
};

export interface SoakOptions {
  /** A loopback URL (http://127.0.0.1:port): the soak refuses anything else. */
  baseUrl: string;
  devices: number;
  seconds: number;
  /** Requests in flight at most (default: one per device). */
  concurrency?: number;
  /** PostgreSQL database of the app: the session rows are checked against the model at the end. */
  databaseUrl?: string;
  log?: (line: string) => void;
  weights?: Partial<Record<SoakMove, number>>;
  devicesPerUser?: number;
  seed?: number;
  requestTimeoutMs?: number;
}

export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) {
    throw new Error(`The soak only runs against loopback, not ${baseUrl}.`);
  }
}
