// `npm run bench` (full: 5 runs × 5 s per side, writes docs/BENCHMARKS.md, exits 1 if a target
// FAILs) and `npm run bench:smoke` (a few seconds per target, for CI: exits 1 only when the
// benchmark itself breaks, never rewrites the docs).
//
//   npm run bench -- [--build] [--runs N] [--seconds S] [--only 1,3,5]
//
// Builds the app when .next/BUILD_ID is missing, when the build lacks a benchmark route (it
// predates it), or with --build; starts a production instance on
// the storage named by DATABASE_URL / REDIS_URL (a throwaway database and key prefix, removed
// afterwards; embedded PGlite + the in-process store when unset), seeds users and devices over
// HTTP, and measures the six targets of scripts/bench/*. HTTP load comes from a child process, on
// loopback; every loop is bounded in time and count, and a watchdog ends the process if anything
// hangs. Run with tsx; tsx treats this file as CommonJS (no "type": "module"), hence no top-level await.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import type { OwnedServices } from "../src/server/build-services";
import { AppServer } from "./lib/app-server";
import { createTestDatabase } from "./lib/databases";
import { testSecrets } from "./lib/keys";
import { freePort } from "./lib/ports";
import { deleteKeys, uniquePrefix } from "./lib/redis";
import { brokenRow, TUNING, type BenchContext, type Row, type Storage, type Tuning } from "./bench/common";
import { openEngine } from "./bench/engine";
import { LoadGenerator } from "./bench/load";
import { commandLine, formatTable, loadAverage, machine, writeBenchmarksDoc } from "./bench/report";
import { seedDevices } from "./bench/seed";
import { HTTP_ROUTES, revocableVsBaselines } from "./bench/t1-http";
import { engineVsJose } from "./bench/t2-engine";
import { staleAcceptances } from "./bench/t3-stale";
import { boundedMemory } from "./bench/t4-memory";
import { bulkRevocation } from "./bench/t5-bulk";
import { signInAndRefresh } from "./bench/t6-signin";

const USAGE = "usage: npm run bench -- [--smoke] [--build] [--runs N] [--seconds S] [--only 1,2,...]";

const TARGETS: {
  id: string;
  name: string;
  threshold: string;
  run: (ctx: BenchContext, engine: () => Promise<OwnedServices>) => Promise<Row[]>;
}[] = [
  {
    id: "1",
    name: "Revocable /api/me vs stateless baseline and the framework's floor (HTTP)",
    threshold: "≥ 1.00× stateless, ≥ 0.95× floor",
    run: (ctx) => revocableVsBaselines(ctx),
  },
  {
    id: "2",
    name: "Engine verify+revocation vs jose jwtVerify (in process)",
    threshold: "≥ 3.00×",
    run: async (ctx, engine) => engineVsJose(ctx, await engine()),
  },
  {
    id: "3",
    name: "Stale acceptances after a revocation on another instance",
    threshold: "0",
    run: (ctx) => staleAcceptances(ctx),
  },
  { id: "4", name: "Bounded memory", threshold: "≤ 130 B/session; capped", run: (ctx) => boundedMemory(ctx) },
  {
    id: "5",
    name: "O(1) log-out-everywhere",
    threshold: "< 50 ms p50",
    run: async (ctx, engine) => bulkRevocation(ctx, await engine()),
  },
  { id: "6", name: "Sign-ins and refreshes per second", threshold: "printed", run: (ctx) => signInAndRefresh(ctx) },
];

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) {
    console.error(`--${name} must be a number from 0 to 600.\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (${code ?? signal})`));
    });
  });
}

async function describeStorage(storage: Omit<Storage, "description">): Promise<string> {
  let database = "PGlite (embedded, temporary folder)";
  if (storage.database.kind === "postgresql") {
    const client = new pg.Client({ connectionString: storage.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
      database = `PostgreSQL ${rows[0]?.server_version.split(" ")[0] ?? "?"} (throwaway database)`;
    } finally {
      await client.end();
    }
  }
  let store = "in-process revocation store";
  if (storage.redis) {
    const redis = new Redis(storage.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const version = /^redis_version:(\S+)/m.exec(await redis.info("server"))?.[1] ?? "?";
      store = `Redis ${version} (key prefix of its own)`;
    } finally {
      redis.disconnect();
    }
  }
  return `${database} + ${store}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean" },
      full: { type: "boolean" },
      build: { type: "boolean" },
      runs: { type: "string" },
      seconds: { type: "string" },
      only: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const base = TUNING[values.smoke ? "smoke" : "full"];
  const tuning: Tuning = {
    ...base,
    runs: Math.round(positive(values.runs, "runs", base.runs)),
    seconds: positive(values.seconds, "seconds", base.seconds),
  };
  const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : undefined;
  const smoke = tuning.mode === "smoke";
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const m = machine();
  console.log(
    `bench (${tuning.mode}): ${m.cpu}, ${m.cores} cores, ${m.memory}, Node ${m.node}; load average ${loadBefore}`,
  );

  const built = existsSync(path.join(process.cwd(), ".next", "BUILD_ID"));
  // A build from before a benchmark route existed cannot be measured: rebuild it too.
  const missingRoute = HTTP_ROUTES.find(
    (route) => !existsSync(path.join(process.cwd(), ".next", "server", "app", route)),
  );
  const stale = built && missingRoute !== undefined;
  if (values.build || !built || stale) {
    console.log(`bench: building the app (next build${stale ? `: the build in .next predates ${missingRoute}` : ""})…`);
    await run(process.execPath, [path.join(process.cwd(), "node_modules/next/dist/bin/next"), "build"], 15 * 60_000);
  }

  // Whatever happens (a hung request, a stuck server), the process ends by itself.
  const budget = smoke ? 170 : 900 + tuning.runs * tuning.seconds * 4;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running ${budget} s after the start: giving up.`);
    process.exit(3);
  }, budget * 1000);
  watchdog.unref();

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = async () => {
    while (cleanups.length)
      await cleanups.pop()!().catch((error: unknown) => console.error(`bench: cleanup: ${String(error)}`));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    const database = await createTestDatabase("bench");
    cleanups.push(() => database.drop());
    const redisUrl = process.env.REDIS_URL || undefined;
    const redis = redisUrl ? { url: redisUrl, prefix: uniquePrefix("bench") } : undefined;
    if (redis) cleanups.push(() => deleteKeys(redis.url, redis.prefix));
    const storage: Storage = { database, redis, description: await describeStorage({ database, redis }) };
    console.log(`bench: storage ${storage.description}`);

    const appEnv: Record<string, string> = {
      ...(await testSecrets()),
      ...database.env,
      REDIS_URL: redis?.url ?? "",
      REDIS_KEY_PREFIX: redis?.prefix ?? "rjs:",
      // One issuer for every instance (APP_URL differs by port).
      JWT_ISSUER: "http://bench.revocable.test",
      BENCHMARK_ROUTES: "1",
      RATE_LIMIT_SCALE: "100000",
      LOG_LEVEL: "error",
    };
    const port = await freePort();
    const app = await AppServer.start({ ...appEnv, APP_URL: `http://127.0.0.1:${port}` }, port);
    cleanups.push(() => app.stop());
    const load = LoadGenerator.start();
    cleanups.push(() => load.close());

    console.log(`bench: app on ${app.url}; signing in ${tuning.devices} devices…`);
    const devices = await seedDevices(app.url, tuning.devices, 10, "bench");
    const ctx: BenchContext = { tuning, storage, appEnv, app, devices, load, log: (line) => console.log(line) };

    let services: Promise<OwnedServices> | undefined;
    const engine = () => {
      if (!services) {
        services = openEngine(ctx);
        const opened = services;
        cleanups.push(() => opened.then((s) => s.close()));
      }
      return services;
    };

    const rows: Row[] = [];
    for (const target of TARGETS) {
      if (only && !only.has(target.id)) continue;
      console.log(`bench: target ${target.id}: ${target.name}…`);
      const started = performance.now();
      try {
        rows.push(...(await target.run(ctx, engine)));
      } catch (error) {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        rows.push(brokenRow(target.id, target.name, target.threshold, error));
      }
      console.log(`bench: target ${target.id} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    if (rows.some((r) => r.figure.startsWith("ERROR")) && app.logs.trim()) {
      console.log(`\n--- app output (last 3000 characters) ---\n${app.logs.trim().slice(-3000)}`);
    }

    const loadAfter = loadAverage();
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    console.log(
      `\nBenchmark (${tuning.mode}) — ${storage.description}; load average before ${loadBefore}, after ${loadAfter}; ${seconds.toFixed(0)} s\n`,
    );
    console.log(formatTable(rows));
    console.log("");

    if (!smoke && !only) {
      const file = await writeBenchmarksDoc({
        rows,
        tuning,
        storage: storage.description,
        command: commandLine(process.argv.slice(2)),
        startedAt,
        seconds,
        loadBefore,
        loadAfter,
      });
      console.log(`bench: wrote ${path.relative(process.cwd(), file)}`);
    }
    const broken = rows.filter((r) => r.figure.startsWith("ERROR"));
    const failed = rows.filter((r) => r.verdict === "FAIL");
    if (smoke) {
      if (broken.length) console.log(`bench: the benchmark itself broke on ${broken.map((r) => r.id).join(", ")}`);
      return broken.length ? 1 : 0;
    }
    if (failed.length)
      console.log(`bench: ${failed.length} target row(s) FAILED: ${failed.map((r) => r.id).join(", ")}`);
    return failed.length ? 1 : 0;
  } finally {
    await cleanUp();
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
