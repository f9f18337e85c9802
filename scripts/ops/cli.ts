// What the operations commands (scripts/admin.ts, scripts/db-cleanup.ts) share: the environment
// read like the app reads it, the app's own composition root, and failures as one clear line.
import { loadEnvConfig } from "@next/env";
import { errorMessage, isAuthError } from "../../src/core/errors";
import { buildServices, type OwnedServices } from "../../src/server/build-services";
import { EnvError, parseEnv, type Env } from "../../src/server/env";
import { createLogger } from "../../src/server/logger";

/** An expected failure: its message is printed as one line, and the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    readonly code = "failed",
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, 2, "usage");
}

/**
 * The .env files the app reads (those of `next dev`, or of `next start` when NODE_ENV=production;
 * the environment wins over them), then the validated configuration.
 */
export function loadEnv(): Env {
  const production = process.env.NODE_ENV === "production";
  loadEnvConfig(process.cwd(), !production, {
    info: () => undefined,
    error: (...args: unknown[]) => console.error(...args),
  });
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) throw new CliError(error.message.replace(/\n\s*/g, " "), 1, "configuration");
    throw error;
  }
}

/**
 * The app's services (same database, revocation store and push). Log lines go to stderr, so stdout
 * carries only the command's output. Without `verbose` only errors are logged: the command reports
 * what matters itself (e.g. a revocation that Redis did not take).
 */
export async function openServices(env: Env, verbose: boolean): Promise<OwnedServices> {
  const logger = createLogger(verbose ? env.LOG_LEVEL : "error", { stream: "stderr" });
  try {
    return await buildServices(env, { logger });
  } catch (error) {
    // e.g. the embedded database's lock: "... is in use by process N (is `npm run dev` running?) ..."
    throw new CliError(`cannot open the database: ${errorMessage(error)}`, 1, "storage");
  }
}

/** "PostgreSQL host/db" or "PGlite <folder>", never credentials. */
export function describeDatabase(env: Env): string {
  if (!env.DATABASE_URL) return `embedded PGlite (${env.PGLITE_DATA_DIR ?? `${env.DATA_DIR}/pglite`})`;
  const url = new URL(env.DATABASE_URL);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/**
 * Runs a command and turns every failure into one line on stderr (a JSON object with `json`) and
 * an exit code: 1 refused / not found / storage, 2 usage. Never a stack trace.
 */
export async function runCommand(name: string, json: boolean, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const failure = toCliError(error);
    console.error(
      json ? JSON.stringify({ error: failure.code, message: failure.message }) : `${name}: ${failure.message}`,
    );
    process.exitCode = failure.exitCode;
  }
}

function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (isAuthError(error)) return new CliError(error.message, error.code === "invalid_request" ? 2 : 1, error.code);
  return new CliError(oneLine(errorMessage(error)), 1, "failed");
}

/** Prisma's messages start with "Invalid `...` invocation" and a code excerpt; the cause is last. */
function oneLine(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const line = /^Invalid `/.test(lines[0] ?? "") ? lines.at(-1) : lines[0];
  return line ?? "unexpected failure";
}
