// `npm run db:cleanup`: deletes what the database no longer needs. Usage: USAGE below.
//
// - Sessions that ended (revoked, outdated by an epoch raise, idle or absolute expiry) more than
//   SESSION_RETENTION_DAYS ago (default 30; never less than an access token's lifetime + margin,
//   the window a wiped revocation store re-learns from these rows).
// - Audit events (session_events) and outbox mail (mail_outbox) older than EVENT_RETENTION_DAYS (default 90; 0 keeps them).
// - Emailed links (account_tokens: password reset, email verification) past their expiry.
// Redis needs nothing: every revocation key expires by itself (TTL = token lifetime + margin).
//
// Safe on a schedule (cron, a Kubernetes CronJob): idempotent; deletes in batches of --batch-size
// rows, each its own short statement; rows another run holds are skipped, so it can run while the
// app runs and concurrently with itself (with PostgreSQL: the embedded PGlite database is opened by
// one process at a time, so there it runs while the app is stopped). The decisions are in
// src/core/cleanup.ts; docs/decisions/0009-operations.md explains them.
//
// tsx treats this file as CommonJS (package.json has no "type": "module"), hence no top-level await.
import { parseArgs } from "node:util";
import type { CleanupReport } from "../src/core/cleanup";
import type { Env } from "../src/server/env";
import { describeDatabase, loadEnv, openServices, runCommand, usageError } from "./ops/cli";

const USAGE = `usage: npm run db:cleanup [-- --dry-run] [--json] [--batch-size N] [--verbose]
  --dry-run        count what would be deleted; delete nothing
  --json           print the counts as one JSON object
  --batch-size N   rows per delete statement (1..10000, default 1000)
retention: SESSION_RETENTION_DAYS (ended sessions, default 30), EVENT_RETENTION_DAYS (events, default 90, 0 = keep)`;

interface Options {
  dryRun: boolean;
  json: boolean;
  verbose: boolean;
  batchSize: number;
  help: boolean;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "dry-run": { type: "boolean" },
        json: { type: "boolean" },
        verbose: { type: "boolean" },
        "batch-size": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw usageError(`${(error as Error).message.split(". ")[0]} (see: npm run db:cleanup -- --help)`);
  }
  const batchSize = Number(values["batch-size"] ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw usageError("--batch-size must be an integer from 1 to 10000 (see: npm run db:cleanup -- --help)");
  return {
    dryRun: values["dry-run"] === true,
    json: values.json === true,
    verbose: values.verbose === true,
    batchSize,
    help: values.help === true,
  };
}

function summary(report: CleanupReport, env: Env, seconds: number): string {
  const verb = report.dryRun ? "would delete" : "deleted";
  const sessions = `${report.sessions} ended session(s) (ended before ${report.sessionCutoff.toISOString()}, SESSION_RETENTION_DAYS=${env.SESSION_RETENTION_DAYS})`;
  const events =
    report.events === null
      ? "kept every event (EVENT_RETENTION_DAYS=0)"
      : `${verb} ${report.events} event(s) and outbox mail (before ${report.eventCutoff!.toISOString()}, EVENT_RETENTION_DAYS=${env.EVENT_RETENTION_DAYS})`;
  const links = `${verb} ${report.links} expired emailed link(s)`;
  const challenges = `${verb} ${report.challenges} expired sign-in challenge(s) and unconfirmed TOTP set-up(s)`;
  return `db:cleanup on ${describeDatabase(env)}: ${verb} ${sessions}; ${events}; ${links}; ${challenges}; ${seconds.toFixed(1)} s.`;
}

async function main(options: Options): Promise<void> {
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const env = loadEnv();
  const started = Date.now();
  const services = await openServices(env, options.verbose);
  try {
    const report = await services.cleanup({ dryRun: options.dryRun, batchSize: options.batchSize });
    const seconds = (Date.now() - started) / 1000;
    console.log(options.json ? JSON.stringify({ ...report, seconds }) : summary(report, env, seconds));
  } finally {
    await services.close();
  }
}

const argv = process.argv.slice(2);
void runCommand("db:cleanup", argv.includes("--json"), () => main(parseOptions(argv)));
