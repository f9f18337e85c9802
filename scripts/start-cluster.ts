// Several production instances of the app on one machine, sharing PostgreSQL and Redis.
//
//   npm run build                                   # once: the instances run the production build
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/revocable \
//   REDIS_URL=redis://127.0.0.1:6379 \
//   npm run start:cluster -- [--instances 2] [--port 3000] [--hostname H]
//
// Instance i (0-based) runs the production server (`npm start`: server.mjs -p <port + i>); every line it prints is prefixed `[i:port]`.
// Before the instances start, `npm run db:migrate` runs once (so they never race on DDL). The
// script prints "cluster ready" and the URLs once every /api/health answers; Ctrl-C (SIGINT) or
// SIGTERM stops all instances and exits 0. If one instance dies, the others are stopped and the
// script exits 1.
//
// Required:
//   DATABASE_URL, REDIS_URL     the embedded PGlite database and the in-process revocation store
//                               live inside one process: they cannot be shared between instances.
//   AUTH_SECRET (or NEXTAUTH_SECRET), JWT_SIGNING_KEYS
//                               every instance must sign and verify with the same keys. With
//                               NODE_ENV=production they must be set; otherwise, when missing, one
//                               set is generated for this run and shared by all instances (sessions
//                               then end with the run).
// Optional:
//   CLUSTER_APP_URL             the public URL of the cluster (APP_URL of every instance); default
//                               http://localhost:<first port>. See the note at `appUrl` below.
//   --hostname H                the address the instances listen on (server.mjs -H); default all.
//   Everything else in the environment (and in the .env files `next start` reads: JWT_ISSUER,
//   REDIS_KEY_PREFIX, ...) is passed to every instance unchanged, except APP_URL and NEXTAUTH_URL
//   (the public URL), JWT_ISSUER (default: the public URL, set explicitly) and NODE_ENV=production.
//
// Runs as `node --import tsx scripts/start-cluster.ts` (what the npm script execs): one process, so
// a SIGTERM from a process manager reaches this script itself. Not through the `tsx` CLI, which
// relays signals to its child and SIGKILLs it when the child does not acknowledge within 30 ms
// (on a busy machine it does not), leaving the instances running. tsx treats this file as CommonJS
// (package.json has no "type": "module"), hence no top-level await.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadEnvConfig } from "@next/env";
import { generateSigningKey } from "../src/core/signing-keys";
import { SERVER_SCRIPT } from "./lib/app-server";

const USAGE = "usage: npm run start:cluster -- [--instances 2] [--port 3000] [--hostname H]";
const ROOT = process.cwd();
/** How long the instances may take to answer /api/health (a cold start on a small machine is slow). */
const READY_TIMEOUT_MS = 180_000;
/** How long an instance may take to stop after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** Failures we expect (bad input, missing build or configuration): message only, no stack trace. */
class UsageError extends Error {}

interface Instance {
  index: number;
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
}

function log(line: string): void {
  process.stdout.write(`[cluster] ${line}\n`);
}

function integer(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}.\n${USAGE}`);
  return n;
}

/** A URL without credentials, for printing. */
function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

function portIsFree(port: number, host: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Copies a child's output line by line with a prefix (stdout to stdout, stderr to stderr). */
function prefixOutput(child: ChildProcess, prefix: string): void {
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => out.write(`${prefix} ${line}\n`));
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Resolves the shared secrets: from the environment, or generated once for this run outside production. */
async function sharedSecrets(env: NodeJS.ProcessEnv): Promise<{ AUTH_SECRET: string; JWT_SIGNING_KEYS: string }> {
  let authSecret = env.AUTH_SECRET || env.NEXTAUTH_SECRET;
  let signingKeys = env.JWT_SIGNING_KEYS;
  const missing = [!authSecret && "AUTH_SECRET", !signingKeys && "JWT_SIGNING_KEYS"].filter(Boolean) as string[];
  if (missing.length === 0) return { AUTH_SECRET: authSecret!, JWT_SIGNING_KEYS: signingKeys! };
  if (env.NODE_ENV === "production") {
    throw new UsageError(
      `${missing.join(" and ")} must be set with NODE_ENV=production: every instance must share the same secret and signing keys ` +
        `(see .env.example).`,
    );
  }
  authSecret ||= randomBytes(32).toString("base64url");
  signingKeys ||= JSON.stringify({ keys: [await generateSigningKey()] });
  log(
    `${missing.join(" and ")} not set (NODE_ENV is not production): generated one set for this run, shared by every instance. ` +
      `Sessions signed in now end when the cluster stops; set both for anything that must last.`,
  );
  return { AUTH_SECRET: authSecret, JWT_SIGNING_KEYS: signingKeys };
}

function runMigrations(env: NodeJS.ProcessEnv): Promise<void> {
  log("applying migrations once (npm run db:migrate) before any instance starts…");
  const child = spawn("npm", ["run", "--silent", "db:migrate"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  prefixOutput(child, "[migrate]");
  return new Promise((resolve, reject) => {
    child.once("error", (error) => reject(new UsageError(`cannot run npm run db:migrate: ${error.message}`)));
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new UsageError(`npm run db:migrate failed (${code ?? signal}): the cluster was not started.`)),
    );
  });
}

async function waitHealthy(instance: Instance, host: string, deadline: number, stopped: () => boolean): Promise<void> {
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${instance.port}/api/health`;
  while (!stopped()) {
    if (instance.child.exitCode !== null || instance.child.signalCode !== null) return; // reported by the exit handler
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new UsageError(
        `instance ${instance.index} (port ${instance.port}) did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s.`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      instances: { type: "string", short: "n" },
      port: { type: "string", short: "p" },
      hostname: { type: "string", short: "H" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const count = integer(values.instances, "instances", 2, 1, 64);
  const firstPort = integer(values.port, "port", 3000, 1, 65535 - count + 1);
  const hostname = values.hostname;
  const ports = Array.from({ length: count }, (_, i) => firstPort + i);

  // The same .env files `next start` reads (the environment wins over them), so that the checks
  // below see what the instances will see.
  loadEnvConfig(ROOT, false, { info: () => undefined, error: (...args: unknown[]) => console.error(...args) });
  const env = process.env;

  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new UsageError(
      "No production build in .next: build it first with\n  npm run build\nthen start the cluster again.",
    );
  }
  const problems: string[] = [];
  if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL?.trim() ?? "")) {
    problems.push(
      "DATABASE_URL must name a PostgreSQL database (postgresql://...): the embedded PGlite database lives inside one process and cannot be shared.",
    );
  }
  const sharedRedis =
    /^rediss?:\/\//.test(env.REDIS_URL?.trim() ?? "") ||
    Boolean(env.REDIS_SENTINELS?.trim()) ||
    Boolean(env.REDIS_CLUSTER_NODES?.trim());
  if (!sharedRedis) {
    problems.push(
      "REDIS_URL (or REDIS_SENTINELS / REDIS_CLUSTER_NODES) must name a Redis: the in-process revocation store cannot be shared, and a revocation made on one instance would not be seen by the others.",
    );
  }
  if (problems.length) throw new UsageError(`Cannot start a cluster:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  for (const port of ports) {
    if (!(await portIsFree(port, hostname)))
      throw new UsageError(`port ${port} is in use: choose another first port with --port.`);
  }

  const secrets = await sharedSecrets(env);
  // Behind a load balancer every instance serves the same public URL, so they all get the same
  // APP_URL: next-auth's redirects and the CSRF origin check use it, and it is the default token
  // issuer. JWT_ISSUER must be identical on every instance, or a token issued by one would be
  // refused by the others: it is set explicitly (JWT_ISSUER from the environment, else APP_URL).
  // Without a load balancer, each instance is also reachable on its own port (same-origin requests
  // to it pass the CSRF check), but sign-in redirects lead to APP_URL, i.e. the first instance.
  const appUrl = env.CLUSTER_APP_URL || `http://localhost:${firstPort}`;
  if (env.APP_URL && env.APP_URL !== appUrl)
    log(
      `APP_URL=${env.APP_URL} is not used: the cluster's public URL is ${appUrl} (set CLUSTER_APP_URL to change it).`,
    );
  const instanceEnv: NodeJS.ProcessEnv = {
    ...env,
    ...secrets,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: env.NEXT_TELEMETRY_DISABLED ?? "1",
    APP_URL: appUrl,
    NEXTAUTH_URL: appUrl,
    JWT_ISSUER: env.JWT_ISSUER || appUrl,
  };
  delete instanceEnv.NEXTAUTH_SECRET; // AUTH_SECRET above is the one in use

  await runMigrations(instanceEnv);

  const instances: Instance[] = [];
  let stopping = false;
  let failed = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log(`stopping ${instances.length} instance(s)…`);
    await Promise.all(
      instances.map(async ({ child, exited }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
    log("all instances stopped.");
    finish(code);
  };

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      // A second Ctrl-C: do not wait for a graceful stop.
      for (const { child } of instances) child.kill("SIGKILL");
      return;
    }
    log(`${signal} received.`);
    void stopAll(failed ? 1 : 0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);

  for (const [index, port] of ports.entries()) {
    const args = [SERVER_SCRIPT, "-p", String(port), ...(hostname ? ["-H", hostname] : [])];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...instanceEnv, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const prefix = `[${index}:${port}]`;
    prefixOutput(child, prefix);
    const instance: Instance = { index, port, child, exited: exitOf(child) };
    instances.push(instance);
    child.once("error", (error) => process.stderr.write(`${prefix} cannot start: ${error.message}\n`));
    child.once("exit", (code, signal) => {
      if (stopping) return;
      failed = true;
      process.stderr.write(`${prefix} exited unexpectedly (${code ?? signal}): stopping the cluster.\n`);
      void stopAll(1);
    });
  }
  log(
    `starting ${count} instance(s) on ports ${ports.join(", ")} (PostgreSQL ${safeUrl(env.DATABASE_URL!)}, Redis ${env.REDIS_URL ? safeUrl(env.REDIS_URL) : env.REDIS_SENTINELS ? `sentinels ${env.REDIS_SENTINELS}` : `cluster ${env.REDIS_CLUSTER_NODES}`}, key prefix ${env.REDIS_KEY_PREFIX || (env.REDIS_CLUSTER_NODES ? "{rjs}:" : "rjs:")})…`,
  );

  const probeHost = !hostname || hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    await Promise.all(instances.map((instance) => waitHealthy(instance, probeHost, deadline, () => stopping)));
  } catch (error) {
    process.stderr.write(`[cluster] ${(error as Error).message}\n`);
    failed = true;
    void stopAll(1);
  }
  if (!stopping) {
    log(`cluster ready: ${count} instance(s), public URL ${appUrl}, issuer ${instanceEnv.JWT_ISSUER}`);
    for (const instance of instances)
      log(
        `  instance ${instance.index}: http://${probeHost.includes(":") ? `[${probeHost}]` : probeHost}:${instance.port}`,
      );
    log("Ctrl-C stops them all.");
  }
  return finished;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(error.message);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
