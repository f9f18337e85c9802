// `npm run admin -- <command>`: look at and sign out a user's sessions, disable and enable accounts.
// Usage: USAGE below, or `npm run admin -- help`.
//
// It runs through the app's composition root (src/server/build-services.ts) with the app's
// configuration (.env files + environment, src/server/env.ts), so it writes the same database and
// the same revocation store, and publishes the same live notice: with Redis, a running app refuses
// the revoked tokens on their next request and open browsers are signed out at once.
//
// Limits, on purpose (docs/decisions/0009-operations.md):
// - Embedded PGlite: one process per data folder. While the app runs, this command cannot open it
//   and says so; stop the app first (it enforces the changes when it starts again).
// - PostgreSQL without Redis (REDIS_URL, Sentinel or Cluster): each running app instance keeps revocations in its own memory and
//   cannot hear this process. Refresh and sign-in read the database and refuse at once, but access
//   tokens already issued stay accepted until they expire (ACCESS_TOKEN_TTL_SECONDS) and open
//   browsers are not pushed out. Commands that revoke refuse to run there unless given --force.
//
// tsx treats this file as CommonJS (package.json has no "type": "module"), hence no top-level await.
import { parseArgs } from "node:util";
import { SESSION_ID_PATTERN } from "../src/core/ids";
import type { AdminOperations } from "../src/core/admin";
import { revocationTtlSeconds } from "../src/core/config";
import type { DeviceListEntry } from "../src/core/ports";
import type { Propagation } from "../src/core/revocation-fanout";
import { engineConfig, type Services } from "../src/server/build-services";
import type { Env } from "../src/server/env";
import { redisTopology } from "../src/server/revocation/redis-client";
import { RedisRevocationStore } from "../src/server/revocation/redis-store";
import { CliError, describeDatabase, loadEnv, openServices, runCommand, usageError } from "./ops/cli";

const USAGE = `usage: npm run admin -- <command> [--json] [--force] [--verbose]
commands:
  sessions <email>               the account's state and its live sessions
  revoke <email> <session-id>    sign one session out
  revoke-all <email>             sign every session of the user out (new sign-ins still work)
  disable <email>                disable the account: every session signed out, sign-in refused
  enable <email>                 allow sign-in again (sessions ended by the disable stay ended)
  help                           this text
options:
  --json      machine-readable output on stdout; a failure is one JSON line on stderr
  --force     revoke on PostgreSQL without Redis (running instances then learn it late: see README)
  --verbose   print the JSON log lines (auth events) on stderr
exit codes: 0 done or nothing to change, 1 refused / not found / storage unavailable, 2 usage`;

/** Arguments after the command, and whether it revokes (needs the live path to running instances). */
const COMMANDS = {
  sessions: { args: ["email"], revokes: false },
  revoke: { args: ["email", "session-id"], revokes: true },
  "revoke-all": { args: ["email"], revokes: true },
  disable: { args: ["email"], revokes: true },
  enable: { args: ["email"], revokes: false },
} as const;
type Command = keyof typeof COMMANDS;

/** How long to wait for Redis before refusing to change anything. */
const REDIS_READY_TIMEOUT_MS = 10_000;

interface Invocation {
  command: Command | "help";
  args: string[];
  json: boolean;
  force: boolean;
  verbose: boolean;
}

const FLAGS = new Set(["--json", "--force", "--verbose", "--help", "-h"]);

/**
 * Session ids are base64url and may begin with "-": anything that is not one of our flags is an
 * argument (placed after "--" so the parser cannot take "-Xy..." for options).
 */
function separateFlags(argv: string[]): string[] {
  const end = argv.indexOf("--");
  const head = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end + 1);
  const flags = head.filter((arg) => FLAGS.has(arg) || (arg.startsWith("--") && !SESSION_ID_PATTERN.test(arg)));
  return [...flags, "--", ...head.filter((arg) => !flags.includes(arg)), ...rest];
}

function parseInvocation(argv: string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: separateFlags(argv),
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        force: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw usageError(`${(error as Error).message.split(". ")[0]} (try: npm run admin -- help)`);
  }
  const { values, positionals } = parsed;
  const flags = { json: values.json === true, force: values.force === true, verbose: values.verbose === true };
  const [name, ...args] = positionals;
  if (values.help || name === undefined || name === "help") return { command: "help", args: [], ...flags };
  if (!Object.hasOwn(COMMANDS, name)) throw usageError(`unknown command "${name}" (try: npm run admin -- help)`);
  const command = name as Command;
  const expected = COMMANDS[command].args;
  if (args.length !== expected.length) {
    throw usageError(`"${command}" takes ${expected.map((a) => `<${a}>`).join(" ")} (try: npm run admin -- help)`);
  }
  return { command, args, ...flags };
}

/** Where running app instances learn about a revocation made here, and whether that is good enough. */
type LivePath = "redis" | "embedded" | "none";

function livePath(env: Env): LivePath {
  if (redisTopology(env)) return "redis"; // REDIS_URL, Sentinel or Cluster: the app's own choice
  return env.DATABASE_URL ? "none" : "embedded";
}

/** How long a running instance that did not hear a revocation may still accept a token it issued. */
function staleSeconds(env: Env): number {
  return revocationTtlSeconds(engineConfig(env));
}

function refuseWithoutLivePath(env: Env): CliError {
  return new CliError(
    `No Redis is configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES): running app instances keep revocations in their own memory and would still accept already-issued access tokens for up to ${staleSeconds(env)} s. ` +
      "Configure Redis as the app has it, or pass --force to accept that (refresh and sign-in are refused at once).",
    1,
    "no_live_path",
  );
}

/** The store must answer before anything is changed: a write Redis never saw would let running instances accept revoked tokens. */
async function waitForRedis(services: Services): Promise<void> {
  const store = services.store;
  if (!(store instanceof RedisRevocationStore)) return;
  const deadline = Date.now() + REDIS_READY_TIMEOUT_MS;
  while (!(await store.ensureReady())) {
    if (Date.now() > deadline) throw new CliError("Redis is unreachable: nothing was changed.", 1, "redis_unavailable");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What running instances make of it: a note, a warning (stderr), or a failure (also exit code 1). */
function liveNote(
  path: LivePath,
  propagation: Propagation,
  env: Env,
): { text: string; level: "note" | "warning" | "failure" } {
  if (path === "embedded") {
    return {
      level: "note",
      text: "No app is running on this embedded database (this command could open it); the app enforces this when it starts.",
    };
  }
  if (path === "none") {
    return {
      level: "warning",
      text: `Warning: without Redis, running instances refuse refresh and sign-in at once, but accept access tokens they already issued for up to ${staleSeconds(env)} s; open browsers are not pushed out.`,
    };
  }
  if (!propagation.stored)
    return {
      level: "failure",
      text: `Done in the database, but Redis refused the revocation: running instances may accept the tokens for up to ${staleSeconds(env)} s.`,
    };
  if (!propagation.pushed)
    return {
      level: "warning",
      text: "Running instances refuse its tokens from their next request; the push to open browsers failed (they are signed out at their next request).",
    };
  return {
    level: "note",
    text: "Running instances refuse its tokens from their next request, and open browsers are signed out now.",
  };
}

function formatDate(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) : "-";
}

function deviceLabel(session: DeviceListEntry): string {
  const device = `${session.browser ?? "Unknown browser"} on ${session.os ?? "Unknown OS"}`;
  return session.deviceName ? `${device} · ${session.deviceName}` : device;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ")}`.trimEnd())
    .join("\n");
}

async function showSessions(admin: AdminOperations, email: string, json: boolean): Promise<void> {
  const { user, sessions } = await admin.describe(email);
  if (json) {
    console.log(JSON.stringify({ user: { ...user, disabled: user.disabledAt !== null }, sessions }));
    return;
  }
  console.log(`${user.email}${user.name ? ` (${user.name})` : ""}`);
  console.log(`  id       ${user.id}`);
  console.log(`  account  ${user.disabledAt ? `DISABLED since ${user.disabledAt.toISOString()}` : "active"}`);
  console.log(`  epoch    ${user.sessionEpoch}`);
  if (sessions.length === 0) {
    console.log("No live sessions.");
    return;
  }
  console.log(`${sessions.length} live session${sessions.length === 1 ? "" : "s"} (times in UTC):`);
  const rows = sessions.map((s) => [
    s.id,
    deviceLabel(s),
    s.ip ?? "-",
    formatDate(s.createdAt),
    formatDate(s.lastActiveAt),
  ]);
  console.log(table([["SESSION", "DEVICE", "IP", "SIGNED IN", "LAST ACTIVE"], ...rows]));
}

async function main(invocation: Invocation): Promise<void> {
  const { command, args, json } = invocation;
  if (command === "help") {
    console.log(USAGE);
    return;
  }
  const env = loadEnv();
  const path = livePath(env);
  if (COMMANDS[command].revokes && path === "none" && !invocation.force) throw refuseWithoutLivePath(env);

  const services = await openServices(env, invocation.verbose);
  try {
    const { admin } = services;
    const [email = "", sessionId = ""] = args;
    if (command === "sessions") return await showSessions(admin, email, json);
    if (command === "enable") {
      const changed = await admin.enable(email);
      const text = changed
        ? `Enabled ${email}: sign-in works again (earlier sessions stay ended).`
        : `${email} is not disabled: nothing changed.`;
      console.log(json ? JSON.stringify({ command, email, changed }) : text);
      return;
    }

    await waitForRedis(services);
    let propagation: Propagation | null;
    let text: string;
    if (command === "revoke") {
      propagation = await admin.revokeSession(email, sessionId);
      text = `Signed out session ${sessionId} of ${email}.`;
    } else if (command === "revoke-all") {
      propagation = await admin.revokeAll(email);
      text = `Signed out every session of ${email}.`;
    } else {
      propagation = await admin.disable(email);
      text = propagation
        ? `Disabled ${email}: every session signed out, sign-in refused.`
        : `${email} is already disabled: nothing changed.`;
    }
    const live = propagation ? liveNote(path, propagation, env) : null;
    if (json) {
      console.log(
        JSON.stringify({
          command,
          email,
          ...(sessionId ? { sessionId } : {}),
          changed: propagation !== null,
          revocationStore: services.store.kind,
          ...(propagation ?? {}),
        }),
      );
    } else {
      console.log(`${text} (${describeDatabase(env)})`);
      if (live?.level === "note") console.log(live.text);
    }
    if (live && live.level !== "note") console.error(live.text);
    if (live?.level === "failure") process.exitCode = 1;
  } finally {
    await services.close();
  }
}

const argv = process.argv.slice(2);
const wantsJson = argv.includes("--json");
void runCommand("admin", wantsJson, () => main(parseInvocation(argv)));
