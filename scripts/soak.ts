// `npm run soak -- [--devices 200] [--seconds 60] [--concurrency N] [--seed N]`
//
// Starts its own production instance of the app (the existing build in .next) on a loopback port,
// on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (a throwaway database and key prefix,
// removed afterwards) or on PGlite + the in-process store otherwise, runs the soak
// (scripts/lib/soak/run.ts), prints the report and exits 1 when an invariant failed.
// Bounded in time: the soak stops at its deadline, and a watchdog ends the process if anything hangs.
//
// Run with tsx; tsx treats this file as CommonJS (no "type": "module"), hence no top-level await.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatSoakReport } from "./lib/soak/format-report";
import { runSoak } from "./lib/soak/run";
import { startTestApp, type TestApp } from "./lib/test-app";

const USAGE = "usage: npm run soak -- [--devices 200] [--seconds 60] [--concurrency N] [--seed N]";

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer from ${min} to ${max}.\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      devices: { type: "string" },
      seconds: { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const devices = integer(values.devices, "devices", 200, 1, 2000);
  const seconds = integer(values.seconds, "seconds", 60, 1, 1800);
  const concurrency = integer(values.concurrency, "concurrency", devices, 1, 2000);
  const seed = values.seed === undefined ? undefined : integer(values.seed, "seed", 0, 0, 2 ** 31 - 1);

  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.error(
      "No production build in .next: build it first with\n  NEXT_TELEMETRY_DISABLED=1 npm run build\nthen run the soak again.",
    );
    return 2;
  }

  // Whatever happens (a hung request, a stuck server), the process ends by itself.
  const watchdog = setTimeout(
    () => {
      console.error(`soak: still running ${seconds + 240} s after the start: giving up.`);
      process.exit(3);
    },
    (seconds + 240) * 1000,
  );
  watchdog.unref();

  const mode = `${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite (embedded)"} + ${process.env.REDIS_URL ? "Redis" : "in-process store"}`;
  console.log(`soak: starting the app (${mode})…`);
  let testApp: TestApp | undefined;
  const stop = async () => {
    const app = testApp;
    testApp = undefined;
    await app?.stop().catch((error: unknown) => console.error(`soak: stopping the app: ${String(error)}`));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`soak: ${signal}, stopping the app`);
      void stop().finally(() => process.exit(130));
    });
  }

  try {
    testApp = await startTestApp("soak", { RATE_LIMIT_SCALE: "1000", LOG_LEVEL: "error" });
    const report = await runSoak({
      baseUrl: testApp.app.url,
      devices,
      seconds,
      concurrency,
      seed,
      databaseUrl: testApp.database.url,
      log: (line) => console.log(line),
    });
    console.log(`\n${formatSoakReport(report)}`);
    if (!report.ok) {
      const logs = testApp.app.logs.trim();
      if (logs) console.log(`\n--- app output (last 4000 characters) ---\n${logs.slice(-4000)}`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await stop();
    clearTimeout(watchdog);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
