/**
 * Private Redis topologies for tests: a Sentinel-managed master (with a replica, to fail over to)
 * and a Redis Cluster, every process on a free loopback port (never the shared Redis on 6379),
 * every file in one temporary folder. `stop()` kills them all and deletes the folder; it is also
 * what a failed start does before rethrowing.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Cluster, Redis } from "ioredis";
import { freePort, waitFor } from "../../scripts/lib/ports";

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? "redis-cli";
const HOST = "127.0.0.1";

/** One command on a short-lived connection that never retries (so a dead server fails at once). */
export async function redisCall(port: number, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis(port, HOST, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
  });
  client.on("error", () => undefined); // the command's own rejection reports it
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1).map(String));
  } finally {
    client.disconnect();
  }
}

/** The `field:value` lines of an INFO section. */
async function info(port: number, section: string): Promise<Record<string, string>> {
  const text = String(await redisCall(port, "INFO", section));
  return Object.fromEntries(
    text
      .split("\r\n")
      .filter((l) => l.includes(":"))
      .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)]),
  );
}

/** redis-server processes (servers and sentinels) and the folder they write in. */
class ProcessGroup {
  private readonly children: ChildProcess[] = [];
  private readonly killAll = () => {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };

  private constructor(readonly dir: string) {
    // Last resort if the test process exits without its afterAll: no redis-server outlives it.
    process.once("exit", this.killAll);
  }

  static async create(label: string): Promise<ProcessGroup> {
    return new ProcessGroup(await mkdtemp(path.join(tmpdir(), `rjs-${label}-`)));
  }

  /** Starts redis-server with `args` in a folder of its own; resolves once it answers PING. */
  async redisServer(name: string, port: number, args: string[]): Promise<void> {
    const dir = path.join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    const log = path.join(dir, "redis.log");
    const child = spawn(
      REDIS_SERVER,
      [
        ...args,
        "--port",
        String(port),
        "--bind",
        HOST,
        "--dir",
        dir,
        "--logfile",
        log,
        "--save",
        "",
        "--appendonly",
        "no",
      ],
      { stdio: "ignore" },
    );
    this.children.push(child);
    await waitFor(
      `${name} on port ${port}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited: ${tail(log)}`);
        return (await redisCall(port, "PING")) === "PONG" ? true : undefined;
      },
      15_000,
      50,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- ${name} log ---\n${tail(log)}`);
    });
  }

  async stop(): Promise<void> {
    process.off("exit", this.killAll);
    await Promise.all(
      this.children.splice(0).map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }),
    );
    await rm(this.dir, { recursive: true, force: true });
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Runs `start` against a fresh group; on failure kills what it started and deletes the folder. */
async function startIn<T>(label: string, start: (group: ProcessGroup) => Promise<T>): Promise<T> {
  const group = await ProcessGroup.create(label);
  try {
    return await start(group);
  } catch (error) {
    await group.stop();
    throw error;
  }
}

/**
 * A master, optionally one replica, and one Sentinel monitoring them with quorum 1 (enough for a
 * test; production runs three or more sentinels on separate machines).
 */
export class PrivateSentinel {
  private constructor(
    private readonly group: ProcessGroup,
    readonly name: string,
    readonly sentinelPort: number,
    /** The ports of the data nodes: [initial master, replica?]. */
    readonly dataPorts: number[],
  ) {}

  static async start(options: { name?: string; replica?: boolean } = {}): Promise<PrivateSentinel> {
    const name = options.name ?? "rjs-master";
    return startIn("sentinel", async (group) => {
      const masterPort = await freePort();
      // No 5 s wait before the replica's full sync (the default delay, to batch replicas).
      await group.redisServer("master", masterPort, ["--repl-diskless-sync-delay", "0"]);
      const dataPorts = [masterPort];
      if (options.replica) {
        const replicaPort = await freePort();
        await group.redisServer("replica", replicaPort, ["--replicaof", HOST, String(masterPort)]);
        await waitFor(
          "the replica to sync",
          async () => ((await info(replicaPort, "replication")).master_link_status === "up" ? true : undefined),
          15_000,
        );
        dataPorts.push(replicaPort);
      }
      // Sentinel rewrites its configuration file, so it gets one of its own (not a command line).
      const sentinelPort = await freePort();
      const conf = path.join(group.dir, "sentinel.conf");
      writeFileSync(
        conf,
        [
          `sentinel monitor ${name} ${HOST} ${masterPort} 1`,
          `sentinel down-after-milliseconds ${name} 2000`,
          `sentinel failover-timeout ${name} 10000`,
          "",
        ].join("\n"),
      );
      await group.redisServer("sentinel", sentinelPort, [conf, "--sentinel"]);
      const sentinel = new PrivateSentinel(group, name, sentinelPort, dataPorts);
      // Ready when the sentinel names the master. It learns about the replica a few seconds later
      // (from the master's INFO): failover() waits for that, so the app can start meanwhile.
      await waitFor(
        "the sentinel to name the master",
        async () => ((await sentinel.masterPort()) === masterPort ? true : undefined),
        15_000,
      );
      return sentinel;
    });
  }

  /** REDIS_SENTINELS for the app. */
  get sentinels(): string {
    return `${HOST}:${this.sentinelPort}`;
  }

  /** The master the sentinel names now. */
  async masterPort(): Promise<number> {
    const reply = (await redisCall(this.sentinelPort, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.name)) as
      [string, string] | null;
    if (!reply) throw new Error(`the sentinel does not know ${this.name}`);
    return Number(reply[1]);
  }

  /**
   * `SENTINEL FAILOVER`: promotes the replica (retrying while Sentinel judges it not ready yet) and
   * resolves with the new master's port once that server itself says it is a master.
   */
  async failover(): Promise<number> {
    const before = await this.masterPort();
    await waitFor(
      "Sentinel to accept the failover",
      async () => {
        try {
          await redisCall(this.sentinelPort, "SENTINEL", "FAILOVER", this.name);
          return true;
        } catch (error) {
          if (/NOGOODSLAVE|INPROG/.test(String(error))) return undefined;
          throw error;
        }
      },
      20_000,
      200,
    );
    return waitFor(
      "the new master",
      async () => {
        const port = await this.masterPort();
        if (port === before) return undefined;
        return (await info(port, "replication")).role === "master" ? port : undefined;
      },
      30_000,
      100,
    );
  }

  /** A plain client of one data node (for assertions), to be disconnected by the caller. */
  client(port: number): Redis {
    const client = new Redis(port, HOST, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    client.on("error", () => undefined);
    return client;
  }

  stop(): Promise<void> {
    return this.group.stop();
  }
}

/** A Redis Cluster of `masters` masters and no replicas, created with `redis-cli --cluster create`. */
export class PrivateRedisCluster {
  private constructor(
    private readonly group: ProcessGroup,
    readonly ports: number[],
  ) {}

  static async start(masters = 3): Promise<PrivateRedisCluster> {
    return startIn("cluster", async (group) => {
      const ports: number[] = [];
      for (let i = 0; i < masters; i++) ports.push(await freePort());
      await Promise.all(
        ports.map(async (port, i) => {
          // The bus port is chosen too (by default port + 10000, which may be taken or above 65535).
          const busPort = await freePort();
          const args = [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-port",
            String(busPort),
            "--cluster-node-timeout",
            "2000",
          ];
          await group.redisServer(`node${i}`, port, args);
        }),
      );
      const addresses = ports.map((p) => `${HOST}:${p}`);
      await promisify(execFile)(
        REDIS_CLI,
        ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"],
        { timeout: 30_000 },
      );
      await waitFor(
        "every node to see the cluster as ok",
        async () => {
          for (const port of ports) {
            const state = String(await redisCall(port, "CLUSTER", "INFO"));
            if (!state.includes("cluster_state:ok") || !state.includes(`cluster_known_nodes:${masters}`))
              return undefined;
          }
          return true;
        },
        20_000,
        100,
      );
      return new PrivateRedisCluster(group, ports);
    });
  }

  /** REDIS_CLUSTER_NODES for the app: one seed is enough, the rest is discovered. */
  get nodes(): string {
    return `${HOST}:${this.ports[0]}`;
  }

  /** A cluster client for assertions, to be disconnected by the caller. */
  client(): Cluster {
    const client = new Cluster([{ host: HOST, port: this.ports[0]! }], { redisOptions: { maxRetriesPerRequest: 1 } });
    client.on("error", () => undefined);
    return client;
  }

  /** The keys matching `pattern`, per node port (KEYS on every master; test data only). */
  async keysByNode(pattern: string): Promise<Map<number, string[]>> {
    const found = new Map<number, string[]>();
    for (const port of this.ports) {
      const keys = (await redisCall(port, "KEYS", pattern)) as string[];
      if (keys.length) found.set(port, keys);
    }
    return found;
  }

  stop(): Promise<void> {
    return this.group.stop();
  }
}
