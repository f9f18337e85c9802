// Shared types and small helpers of the benchmark (scripts/bench.ts).
import type { AppServer } from "../lib/app-server";
import type { TestDatabase } from "../lib/databases";
import type { LoadGenerator } from "./load";

export type Verdict = "PASS" | "FAIL" | "SKIP";

/** One line of the table: `id` is the target's number, with a letter when a target has several rows. */
export interface Row {
  id: string;
  target: string;
  figure: string;
  threshold: string;
  verdict: Verdict;
}

export type Mode = "full" | "smoke";

export interface Tuning {
  mode: Mode;
  /** Measured runs per side (median taken). */
  runs: number;
  /** Seconds per measured run. */
  seconds: number;
  /** Seconds of unmeasured warm-up per side before the runs. */
  warmupSeconds: number;
  /** Concurrent connections of the HTTP load. */
  connections: number;
  /** Devices (distinct tokens) driving the load. */
  devices: number;
}

export const TUNING: Record<Mode, Tuning> = {
  full: { mode: "full", runs: 5, seconds: 5, warmupSeconds: 2, connections: 64, devices: 200 },
  smoke: { mode: "smoke", runs: 1, seconds: 1.5, warmupSeconds: 0.5, connections: 64, devices: 40 },
};

/** A signed-in device of a seeded user. */
export interface Device {
  email: string;
  password: string;
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
}

export interface Storage {
  /** "postgresql" with a throwaway database, or "pglite" in a temporary folder. */
  database: TestDatabase;
  /** The shared Redis and this run's key prefix; undefined = the in-process store. */
  redis: { url: string; prefix: string } | undefined;
  /** Readable, with server versions, for the table's header and docs/BENCHMARKS.md. */
  description: string;
}

export interface BenchContext {
  tuning: Tuning;
  storage: Storage;
  /** Environment of the app instances (secrets, storage, benchmark settings), without the port. */
  appEnv: Record<string, string>;
  app: AppServer;
  devices: Device[];
  load: LoadGenerator;
  log(line: string): void;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** 12,345 / 1.23k style numbers for the table. */
export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function ms(n: number, digits = 1): string {
  return `${n.toFixed(digits)} ms`;
}

export function bytes(n: number): string {
  if (Math.abs(n) >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MiB`;
  if (Math.abs(n) >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

export const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));

/** Milliseconds of a promise's work. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

export function verdict(pass: boolean): Verdict {
  return pass ? "PASS" : "FAIL";
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A row for a target that could not be measured because the benchmark itself broke. */
export function brokenRow(id: string, target: string, threshold: string, error: unknown): Row {
  return { id, target, figure: `ERROR: ${errorText(error).split("\n")[0]}`, threshold, verdict: "FAIL" };
}

/** The claims of a token as sent (no verification: the benchmark only needs sid/sub). */
export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}
