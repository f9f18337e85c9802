/**
 * The Redis revocation store and notifier against a real redis-server that this file starts on a
 * free loopback port (never the shared one on 6379) and kills at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { newSessionId } from "@/core/ids";
import type { Logger, RevocationNotice, RevocationSnapshot } from "@/core/ports";
import { createRedisClient } from "@/server/revocation/redis-client";
import { RedisRevocationNotifier } from "@/server/revocation/redis-notifier";
import { RedisRevocationStore } from "@/server/revocation/redis-store";

// ---------------------------------------------------------------- a private redis-server

class RedisServer {
  private child: ChildProcess | null = null;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), "revocation-redis-"));
  port = 0;

  /** Starts on a free port of 6390-6399 the first time, on the same port afterwards. */
  async start(): Promise<void> {
    if (this.port) {
      await this.spawnOn(this.port);
      return;
    }
    const candidates = shuffle([6390, 6391, 6392, 6393, 6394, 6395, 6396, 6397, 6398, 6399]);
    for (const port of candidates) {
      if (!(await portIsFree(port))) continue;
      try {
        await this.spawnOn(port);
        this.port = port;
        return;
      } catch {
        // Taken between the probe and the bind: try the next one.
      }
    }
    throw new Error("no free port in 6390-6399 for a private redis-server");
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async spawnOn(port: number): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        this.dir,
        "--loglevel",
        "warning",
      ],
      { stdio: "ignore" },
    );
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server exited on port ${port}`);
      if (await pings(port)) return;
      await sleep(25);
    }
    await this.stop();
    throw new Error(`redis-server did not answer on port ${port}`);
  }
}

function shuffle<T>(items: T[]): T[] {
  return items
    .map((item) => ({ item, key: Math.random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A raw PING, so that probing needs no client with its own reconnection logic. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

// ---------------------------------------------------------------- helpers

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `probe` returns something truthy; fails with `what` after the deadline. */
async function waitFor<T>(what: string, probe: () => Promise<T> | T, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface LogLine {
  level: "info" | "warn" | "error";
  event: string;
  fields?: Record<string, unknown>;
}

function memoryLogger(): Logger & { lines: LogLine[]; count(event: string): number } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (event, fields) => lines.push({ level: "info", event, fields }),
    warn: (event, fields) => lines.push({ level: "warn", event, fields }),
    error: (event, fields) => lines.push({ level: "error", event, fields }),
    count: (event) => lines.filter((l) => l.event === event).length,
  };
}

/** What the database knows: revocations and epoch changes, as SessionRepository.recentRevocations returns them. */
class FakeDatabase {
  readonly snapshot: RevocationSnapshot = { sessions: [], epochs: [] };
  calls: Date[] = [];

  revoke(sessionId: string, at = new Date()) {
    this.snapshot.sessions.push({ sessionId, userId: "u", revokedAt: at });
  }

  raise(userId: string, epoch: number, at = new Date()) {
    this.snapshot.epochs.push({ userId, epoch, changedAt: at });
  }

  load = async (since: Date): Promise<RevocationSnapshot> => {
    this.calls.push(since);
    return {
      sessions: this.snapshot.sessions.filter((s) => s.revokedAt >= since),
      epochs: this.snapshot.epochs.filter((e) => e.changedAt >= since),
    };
  };
}

// ---------------------------------------------------------------- fixtures

const server = new RedisServer();
let admin: Redis;
const cleanups: (() => Promise<void> | void)[] = [];
let prefixCounter = 0;

function adminClient(): Redis {
  // Unlike the store's client, this one may wait for a reconnection (after the restart test).
  const client = new Redis(server.port, "127.0.0.1", { commandTimeout: 5000, retryStrategy: () => 50 });
  client.on("error", () => {});
  return client;
}

function makeStore(options: { ttlSeconds?: number; db?: FakeDatabase; keyPrefix?: string } = {}) {
  const redis = createRedisClient(`redis://127.0.0.1:${server.port}`);
  const db = options.db ?? new FakeDatabase();
  const logger = memoryLogger();
  const keyPrefix = options.keyPrefix ?? `t${++prefixCounter}:`;
  const store = new RedisRevocationStore({
    redis,
    keyPrefix,
    ttlSeconds: options.ttlSeconds ?? 60,
    loadSnapshot: db.load,
    logger,
  });
  cleanups.push(() => {
    store.dispose();
    redis.disconnect();
  });
  return { store, redis, db, logger, keyPrefix };
}

async function trusted(store: RedisRevocationStore): Promise<void> {
  await waitFor("the store to trust Redis", () => store.isTrusted);
}

beforeAll(async () => {
  await server.start();
  admin = adminClient();
  await waitFor("the admin client", () => admin.status === "ready");
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  admin?.disconnect();
  await server.dispose();
});

// ---------------------------------------------------------------- tests

describe("RedisRevocationStore", () => {
  it("a revoked session is refused, others are not; keys are short and expire", async () => {
    const { store, keyPrefix } = makeStore();
    expect(store.kind).toBe("redis");
    await trusted(store);
    const [a, b] = [newSessionId(), newSessionId()];
    await store.revokeSessions([a], 60);
    expect(await store.check(a, "u1")).toEqual({ sessionRevoked: true, minEpoch: null });
    expect(await store.check(b, "u1")).toEqual({ sessionRevoked: false, minEpoch: null });
    expect(await admin.get(`${keyPrefix}s:${a}`)).toBe("1");
    const ttl = await admin.ttl(`${keyPrefix}s:${a}`);
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await admin.ttl(`${keyPrefix}ready`)).toBe(-1);
  });

  it("an epoch raise never lowers it, and each raise refreshes the TTL", async () => {
    const { store, keyPrefix } = makeStore();
    await trusted(store);
    await store.raiseEpoch("u2", 5, 30);
    await store.raiseEpoch("u2", 3, 60);
    expect(await store.check("s", "u2")).toEqual({ sessionRevoked: false, minEpoch: 5 });
    expect(await admin.ttl(`${keyPrefix}e:u2`)).toBeLessThanOrEqual(30);
    await store.raiseEpoch("u2", 6, 100);
    expect((await store.check("s", "u2"))?.minEpoch).toBe(6);
    expect(await admin.ttl(`${keyPrefix}e:u2`)).toBeGreaterThan(95);
    expect(await admin.get(`${keyPrefix}e:u2`)).toBe("6");
    await expect(store.raiseEpoch("u2", 1.5, 10)).rejects.toThrow(RangeError);
  });

  it("revocations and epochs disappear after their TTL", async () => {
    const { store, keyPrefix } = makeStore({ ttlSeconds: 2 });
    await trusted(store);
    const sid = newSessionId();
    await store.revokeSessions([sid], 2);
    await store.raiseEpoch("u3", 4, 2);
    expect(await store.check(sid, "u3")).toEqual({ sessionRevoked: true, minEpoch: 4 });
    const state = await waitFor(
      "the keys to expire",
      async () => {
        const s = await store.check(sid, "u3");
        return s && !s.sessionRevoked && s.minEpoch === null ? s : null;
      },
      5_000,
    );
    expect(state).toEqual({ sessionRevoked: false, minEpoch: null });
    expect(await admin.exists(`${keyPrefix}s:${sid}`, `${keyPrefix}e:u3`)).toBe(0);
  });

  it("one revoked session costs at most 130 bytes of Redis memory", async () => {
    const { store } = makeStore({ keyPrefix: "rv:" });
    await trusted(store);
    const sid = newSessionId();
    await store.revokeSessions([sid], 310);
    const userId = "0b7f9c3e-5d2a-4c1b-9e8f-2a6d4c8b1e3f";
    await store.raiseEpoch(userId, 12, 310);
    const sessionBytes = await admin.call("MEMORY", "USAGE", `rv:s:${sid}`, "SAMPLES", "0");
    const epochBytes = await admin.call("MEMORY", "USAGE", `rv:e:${userId}`, "SAMPLES", "0");
    console.info(`MEMORY USAGE: revoked session key ${sessionBytes} B, epoch key ${epochBytes} B`);
    expect(Number(sessionBytes)).toBeGreaterThan(0);
    expect(Number(sessionBytes)).toBeLessThanOrEqual(130);
    expect(Number(epochBytes)).toBeLessThanOrEqual(130);
  });

  it("a process that finds the marker trusts Redis at once, without reading the database", async () => {
    const first = makeStore();
    await trusted(first.store);
    expect(first.db.calls).toHaveLength(1); // fresh keyspace: no marker, so it resynced
    const second = makeStore({ keyPrefix: first.keyPrefix });
    await trusted(second.store);
    expect(second.db.calls).toHaveLength(0);
  });

  it("after FLUSHALL: null (ask the database), then one background resync restores entries and marker", async () => {
    const db = new FakeDatabase();
    const a = makeStore({ db, ttlSeconds: 60 });
    const b = makeStore({ db, ttlSeconds: 60, keyPrefix: a.keyPrefix });
    await trusted(a.store);
    await trusted(b.store);
    const recent = newSessionId();
    const old = newSessionId();
    const now = Date.now();
    db.revoke(recent, new Date(now - 20_000));
    db.revoke(old, new Date(now - 61_000)); // already out of the window
    db.raise("u6", 3, new Date(now - 30_000));
    db.raise("u6", 2, new Date(now - 40_000)); // an older, lower one must not win
    const callsBefore = db.calls.length;

    await admin.flushall();
    // A burst of requests sees the wiped store: every check falls back to the database, and only
    // one resync per process runs.
    const burst = await Promise.all(Array.from({ length: 50 }, () => a.store.check(recent, "u6")));
    expect(burst.every((s) => s === null)).toBe(true);
    const restored = await waitFor("the resync", () => a.store.check(recent, "u6"));
    expect(restored).toEqual({ sessionRevoked: true, minEpoch: 3 });
    expect(db.calls.length - callsBefore).toBe(1);
    expect(db.calls.at(-1)!.getTime()).toBeGreaterThanOrEqual(now - 60_000 - 1_000);
    expect(db.calls.at(-1)!.getTime()).toBeLessThanOrEqual(Date.now() - 60_000 + 1_000);

    // Written with the remaining TTL, not a fresh one; the expired one is skipped.
    const ttl = await admin.ttl(`${a.keyPrefix}s:${recent}`);
    expect(ttl).toBeGreaterThan(35);
    expect(ttl).toBeLessThanOrEqual(41);
    expect(await admin.exists(`${a.keyPrefix}s:${old}`)).toBe(0);
    expect(await admin.get(`${a.keyPrefix}ready`)).toBe("1");
    // The other instance answers again from Redis too.
    expect(await b.store.check(recent, "u6")).toEqual({ sessionRevoked: true, minEpoch: 3 });
    expect(a.logger.count("revocation_store_marker_missing")).toBe(1);
  });

  it("two instances resyncing at once end with the same, complete state", async () => {
    const db = new FakeDatabase();
    for (let i = 0; i < 2500; i++) db.revoke(`sid${i}`, new Date(Date.now() - 1000));
    db.raise("u7", 9);
    const a = makeStore({ db });
    const b = makeStore({ db, keyPrefix: a.keyPrefix });
    await waitFor("both connections", () => a.redis.status === "ready" && b.redis.status === "ready");
    // Each store also starts its own resync on connecting (no marker yet): four run at once.
    await Promise.all([a.store.resync(), b.store.resync()]);
    expect(await admin.get(`${a.keyPrefix}ready`)).toBe("1");
    const keys = await admin.keys(`${a.keyPrefix}s:*`);
    expect(keys).toHaveLength(2500);
    await trusted(a.store);
    expect(await a.store.check("sid2499", "u7")).toEqual({ sessionRevoked: true, minEpoch: 9 });
  });

  it("a failed write distrusts Redis until a resync has brought back what the database has", async () => {
    const { store, db, logger } = makeStore();
    await trusted(store);
    // A revocation the database has but Redis never got (its write was lost).
    const lost = newSessionId();
    db.revoke(lost);
    expect(await store.check(lost, "u")).toEqual({ sessionRevoked: false, minEpoch: null });

    // Writes stall past the command timeout while the connection stays up (the marker stays too).
    await admin.call("CLIENT", "PAUSE", "1500", "WRITE");
    await expect(store.revokeSessions([newSessionId()], 60)).rejects.toThrow();
    expect(store.isTrusted).toBe(false);
    expect(await store.check(lost, "u")).toBeNull();
    expect(logger.count("revocation_store_untrusted")).toBe(1);

    const state = await waitFor("trust after the resync", () => store.check(lost, "u"));
    expect(state).toEqual({ sessionRevoked: true, minEpoch: null });
    expect(db.calls.length).toBeGreaterThanOrEqual(2);
  });

  it("Redis down: checks return null at once, writes throw, one log line; a revocation made meanwhile is enforced once it is back", async () => {
    const { store, db, logger, redis, keyPrefix } = makeStore();
    await trusted(store);
    const before = newSessionId();
    await store.revokeSessions([before], 60);
    db.revoke(before);

    await server.stop();
    try {
      // No hang: each check answers well under a second, and null as soon as the loss is seen.
      await waitFor(
        "a null check",
        async () => {
          const started = performance.now();
          const state = await store.check(before, "u");
          expect(performance.now() - started).toBeLessThan(1000);
          return state === null;
        },
        2_000,
      );
      // A read that failed answers null before ioredis emits 'close' (next tick): then untrusted.
      await waitFor("the store to distrust Redis", () => !store.isTrusted, 2_000);
      const started = performance.now();
      for (let i = 0; i < 200; i++) expect(await store.check(before, "u")).toBeNull();
      expect(performance.now() - started).toBeLessThan(1000);
      await expect(store.revokeSessions([newSessionId()], 60)).rejects.toThrow();
      await expect(store.raiseEpoch("u", 2, 60)).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(1500);
      await sleep(300); // a few reconnection attempts
      expect(logger.count("revocation_store_untrusted")).toBe(1);
      expect(logger.count("revocation_store_read_failed")).toBeLessThanOrEqual(1);

      // Meanwhile the database records a revocation and an epoch raise that Redis cannot get.
      const during = newSessionId();
      db.revoke(during);
      db.raise("u", 2);

      await server.start(); // same port, empty: no persistence
      // Until the resync, the store must not answer from the empty Redis.
      const state = await waitFor("the store to answer again", async () => {
        const s = await store.check(during, "u");
        if (s) expect(s).toEqual({ sessionRevoked: true, minEpoch: 2 });
        return s;
      });
      expect(state).toEqual({ sessionRevoked: true, minEpoch: 2 });
      expect(await store.check(before, "u")).toEqual({ sessionRevoked: true, minEpoch: 2 });
      expect(redis.status).toBe("ready");
      expect(await admin.get(`${keyPrefix}ready`)).toBe("1");
      expect(logger.count("revocation_store_trusted")).toBe(2);
    } finally {
      if (!(await pings(server.port))) await server.start();
    }
  });

  it("a connection loss alone (marker still there) also forces a full resync before trusting again", async () => {
    const { store, db } = makeStore();
    await trusted(store);
    const missed = newSessionId();
    db.revoke(missed); // in the database only, as if written during the disconnection
    const calls = db.calls.length;
    await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
    await waitFor("the store to notice", () => !store.isTrusted, 2_000);
    const state = await waitFor("the store to answer again", () => store.check(missed, "u"));
    expect(state).toEqual({ sessionRevoked: true, minEpoch: null });
    expect(db.calls.length).toBe(calls + 1);
  });
});

describe("RedisRevocationNotifier", () => {
  it("a notice published by one instance reaches a subscriber on another connection; garbage is ignored", async () => {
    const one = makeStore();
    const two = makeStore({ keyPrefix: one.keyPrefix });
    const publisher = new RedisRevocationNotifier({ redis: one.redis, keyPrefix: one.keyPrefix, logger: one.logger });
    const subscriber = new RedisRevocationNotifier({ redis: two.redis, keyPrefix: one.keyPrefix, logger: two.logger });
    cleanups.push(
      () => publisher.close(),
      () => subscriber.close(),
    );
    const received: RevocationNotice[] = [];
    const unsubscribe = subscriber.subscribe((n) => received.push(n));
    await waitFor("the subscription", async () => {
      const reply = (await admin.call("PUBSUB", "NUMSUB", subscriber.channel)) as [string, number];
      return Number(reply[1]) >= 1;
    });

    await admin.publish(subscriber.channel, "not json");
    await admin.publish(subscriber.channel, JSON.stringify({ type: "sessions_revoked", userId: "u" }));
    const notice: RevocationNotice = {
      type: "sessions_revoked",
      userId: "u",
      sessionIds: ["a", "b"],
      reason: "logout",
    };
    await publisher.publish(notice);
    const raised: RevocationNotice = {
      type: "epoch_raised",
      userId: "u",
      epoch: 4,
      keepSessionId: "k",
      reason: "password_change",
    };
    await publisher.publish(raised);
    await waitFor("both notices", () => received.length >= 2);
    expect(received).toEqual([notice, raised]);
    expect(two.logger.count("revocation_notice_malformed")).toBe(1);

    unsubscribe();
    await publisher.publish(notice);
    await sleep(100);
    expect(received).toHaveLength(2);
  });
});
