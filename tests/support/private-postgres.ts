import { spawnSync } from "node:child_process";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { applyMigrations } from "../../src/server/db/migrator";
import { freePort, waitFor } from "../../scripts/lib/ports";
import { runProcess } from "./run-script";

/** Where Debian puts the server binaries; PG_BIN overrides (e.g. another major version). */
const PG_BIN =
  process.env.PG_BIN ??
  firstExisting(["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"]);

function firstExisting(dirs: string[]): string {
  return dirs.find((dir) => existsSync(path.join(dir, "pg_ctl"))) ?? dirs[dirs.length - 1]!;
}

/** PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user. */
const AS_ROOT = process.getuid?.() === 0;

function lookupUid(user: string): { uid: number; gid: number } {
  const uid = spawnSync("id", ["-u", user], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error(`running as root needs the "${user}" OS user to run PostgreSQL`);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function command(bin: string, args: string[]): [string, string[]] {
  const file = path.join(PG_BIN, bin);
  return AS_ROOT ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
}

async function run(bin: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [file, argv] = command(bin, args);
  const { code, stdout, stderr } = await runProcess(file, argv, { cwd: tmpdir(), timeoutMs });
  if (code !== 0) throw new Error(`${bin} ${args.join(" ")} exited with ${code}:\n${stdout}${stderr}`);
  return stdout + stderr;
}

/** Servers still running when the test process exits (a crashed or interrupted run): stopped synchronously. */
const running = new Set<PrivatePostgres>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const server of running) server.stopSync();
  });
}

/**
 * A private PostgreSQL server (initdb into a temporary folder, a free loopback port, trust auth,
 * fsync off) for tests that stop, crash or restart the database. The shared server is never touched.
 * `url` names a database created (and migrated) for the test; the folder is removed by `stop()`.
 */
export class PrivatePostgres {
  private started = false;
  private removed = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
    readonly database: string,
  ) {}

  /** initdb + start + CREATE DATABASE + migrations (about 2-4 s). */
  static async start(options: { database?: string; migrate?: boolean } = {}): Promise<PrivatePostgres> {
    const dir = await mkdtemp(path.join(tmpdir(), "rjs-pg-"));
    if (AS_ROOT) {
      const { uid, gid } = lookupUid("postgres");
      await chown(dir, uid, gid);
    }
    const server = new PrivatePostgres(await freePort(), dir, options.database ?? "rjs_test");
    try {
      await run("initdb", [
        "-D",
        server.dataDir,
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
      ]);
      await server.startServer();
      await server.admin((client) => client.query(`CREATE DATABASE "${server.database}"`));
      if (options.migrate !== false) await applyMigrations(new PrismaPg({ connectionString: server.url }));
    } catch (error) {
      await server.stop({ immediate: true }).catch(() => undefined);
      throw error;
    }
    return server;
  }

  get dataDir(): string {
    return path.join(this.dir, "data");
  }

  /** The test's database on this server. */
  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${this.database}`;
  }

  /** The server's own `postgres` database (for CREATE/DROP DATABASE). */
  get adminUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get isRunning(): boolean {
    return this.started;
  }

  /**
   * Starts the server again on the same port and folder (after `stop({ keepData: true })` or a
   * crash): what an app sees as "the database came back".
   */
  async start(): Promise<void> {
    if (this.removed) throw new Error("this PrivatePostgres was stopped for good (its folder is gone)");
    await this.startServer();
  }

  /**
   * Stops the server. `immediate`: `pg_ctl -m immediate`, i.e. a crash (no checkpoint, connections
   * cut at once; crash recovery on the next start). `keepData`: keep the folder for `start()`;
   * otherwise the folder is removed and the instance is finished.
   */
  async stop(options: { immediate?: boolean; keepData?: boolean } = {}): Promise<void> {
    if (this.started || existsSync(path.join(this.dataDir, "postmaster.pid"))) {
      await run("pg_ctl", [
        "-D",
        this.dataDir,
        "-m",
        options.immediate ? "immediate" : "fast",
        "-w",
        "-t",
        "30",
        "stop",
      ]).catch((error: unknown) => {
        // Already down (e.g. stopped twice): fine; anything else is worth seeing.
        if (!/Is server running\?|no server running|PID file .* does not exist/i.test(String(error))) throw error;
      });
    }
    this.started = false;
    running.delete(this);
    if (!options.keepData) {
      this.removed = true;
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  /** Stop (immediate = a crash, the default) and start again on the same port, keeping the data. */
  async restart(options: { immediate?: boolean } = {}): Promise<void> {
    await this.stop({ immediate: options.immediate ?? true, keepData: true });
    await this.start();
  }

  /** Another (migrated) database on this server, e.g. for a second app; returns its URL. */
  async createDatabase(name: string, options: { migrate?: boolean } = {}): Promise<string> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
    await this.admin((client) => client.query(`CREATE DATABASE "${name}"`));
    const url = `postgresql://postgres@127.0.0.1:${this.port}/${name}`;
    if (options.migrate !== false) await applyMigrations(new PrismaPg({ connectionString: url }));
    return url;
  }

  /** Runs SQL on the test database with a short-lived connection (e.g. counting rows behind the app's back). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    url = this.url,
  ): Promise<R[]> {
    return queryDatabase<R>(url, sql, params);
  }

  /** For the exit hook only: a synchronous immediate stop and removal. */
  stopSync(): void {
    const [file, argv] = command("pg_ctl", ["-D", this.dataDir, "-m", "immediate", "-w", "-t", "10", "stop"]);
    spawnSync(file, argv, { stdio: "ignore" });
    spawnSync("rm", ["-rf", this.dir], { stdio: "ignore" });
  }

  private async startServer(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      "-c listen_addresses=127.0.0.1",
      `-k ${this.dir}`,
      // fsync off: the machine does not crash in a test, only the server does (its WAL is in the OS
      // cache). synchronous_commit must stay on: an immediate stop would lose commits still in
      // shared memory, which the app was told were done.
      "-c fsync=off",
      "-c max_connections=50",
      "-c shared_buffers=16MB",
    ].join(" ");
    await run("pg_ctl", [
      "-D",
      this.dataDir,
      "-l",
      path.join(this.dir, "server.log"),
      "-o",
      options,
      "-w",
      "-t",
      "30",
      "start",
    ]);
    this.started = true;
    running.add(this);
    installExitHook();
    await waitFor(
      `PostgreSQL on ${this.port}`,
      async () => {
        await this.admin((client) => client.query("SELECT 1"));
        return true;
      },
      15_000,
      100,
    );
  }

  private async admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

/** Runs SQL on any PostgreSQL database with a short-lived connection (e.g. behind a running app's back). */
export async function queryDatabase<R extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
