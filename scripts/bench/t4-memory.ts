// Target 4: bounded memory.
// a) Redis bytes per revoked session: MEMORY USAGE of one revocation key, and INFO used_memory
//    before/after 100k revocations written through the real RedisRevocationStore.revokeSessions,
//    on a PRIVATE redis-server (the shared one is never touched);
// b) those keys are gone once their TTL (the longest access-token lifetime in production; a few
//    seconds here) has passed;
// c) the per-process verified-token cache stays at its entry cap, and its heap with it.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import type { Redis } from "ioredis";
import type { AccessClaims } from "../../src/core/access-tokens";
import { randomToken } from "../../src/core/crypto";
import { newSessionId } from "../../src/core/ids";
import { VerifiedTokenCache } from "../../src/core/verified-token-cache";
import { parseEnv } from "../../src/server/env";
import { createRedisClient } from "../../src/server/revocation/redis-client";
import { RedisRevocationStore } from "../../src/server/revocation/redis-store";
import { PrivateRedis } from "../lib/redis";
import { bytes, count, sleep, verdict, type BenchContext, type Row } from "./common";

const BYTES_THRESHOLD = 130;
/** The production prefix: its length is paid once per revoked session. */
const PREFIX = "rjs:";
const silent = { info() {}, warn() {}, error() {} };

function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error("INFO memory has no used_memory");
  return Number(match[1]);
}

async function revocationKeys(redis: Redis): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${PREFIX}s:*`, "COUNT", 5000);
    n += keys.length;
    cursor = next;
  } while (cursor !== "0");
  return n;
}

export async function boundedMemory(ctx: BenchContext): Promise<Row[]> {
  return [...(await redisMemory(ctx)), cacheMemory(ctx)];
}

async function redisMemory(ctx: BenchContext): Promise<Row[]> {
  const targetA = "Redis bytes per revoked session (private redis-server)";
  const targetB = "Revocation keys gone after their TTL";
  if (!hasRedisServer()) {
    const figure = "SKIP: needs redis-server on the PATH (a private instance is started)";
    return [
      { id: "4a", target: targetA, figure, threshold: `≤ ${BYTES_THRESHOLD} B`, verdict: "SKIP" },
      { id: "4b", target: targetB, figure, threshold: "0 keys left", verdict: "SKIP" },
    ];
  }
  const n = ctx.tuning.mode === "full" ? 100_000 : 20_000;
  // Long enough to write and measure every key before the first expires; short enough to wait for.
  const ttl = ctx.tuning.mode === "full" ? 5 : 3;
  const server = await PrivateRedis.start();
  const redis = createRedisClient(server.url, { connectionName: "bench-memory" });
  const store = new RedisRevocationStore({
    redis,
    keyPrefix: PREFIX,
    ttlSeconds: ttl,
    loadSnapshot: async () => ({ sessions: [], epochs: [] }),
    logger: silent,
  });
  try {
    // The client connects on its own; its 'ready' event makes the store check the marker (a resync).
    const trustDeadline = Date.now() + 10_000;
    while (!store.isTrusted) {
      if (Date.now() > trustDeadline)
        throw new Error("the store did not become trusted on the private Redis within 10 s");
      await sleep(20);
    }
    const version = /^redis_version:(\S+)/m.exec(await redis.info("server"))?.[1] ?? "?";

    const one = newSessionId();
    await store.revokeSessions([one], ttl);
    const keyUsage = Number(await redis.call("MEMORY", "USAGE", `${PREFIX}s:${one}`, "SAMPLES", "0"));
    await redis.del(`${PREFIX}s:${one}`);

    const before = await usedMemory(redis);
    const started = performance.now();
    const ids = Array.from({ length: n }, () => newSessionId());
    for (let i = 0; i < n; i += 1000) await store.revokeSessions(ids.slice(i, i + 1000), ttl);
    const writeMs = performance.now() - started;
    const live = await usedMemory(redis);
    const liveKeys = await revocationKeys(redis);
    const perSession = (live - before) / n;
    if (writeMs > ttl * 1000 * 0.6)
      ctx.log(`  4  warning: writing ${n} keys took ${writeMs.toFixed(0)} ms, close to their ${ttl} s TTL`);

    // Keys expire by Redis' active expiry; the deadline bounds the wait.
    const deadline = Date.now() + (ttl + 20) * 1000;
    let left = await revocationKeys(redis);
    while (left > 0 && Date.now() < deadline) {
      await sleep(250);
      left = Number(await redis.dbsize()) > 1 ? await revocationKeys(redis) : 0;
    }
    const waited = (Date.now() - (deadline - (ttl + 20) * 1000)) / 1000;
    // Redis shrinks its emptied hash tables in its cron (10 times a second): give it a moment.
    const settled = (bytesNow: number) => bytesNow - before <= (live - before) * 0.05;
    let after = await usedMemory(redis);
    for (let i = 0; i < 40 && left === 0 && !settled(after); i++) {
      await sleep(250);
      after = await usedMemory(redis);
    }
    ctx.log(
      `  4  Redis ${version}: MEMORY USAGE ${keyUsage} B; used_memory ${count(before)} → ${count(live)} (${count(liveKeys)} keys) → ${count(after)} after expiry`,
    );
    return [
      {
        id: "4a",
        target: targetA,
        figure: `${perSession.toFixed(1)} B/session from used_memory over ${count(n)} revocations (${count(before)} → ${count(live)} B); MEMORY USAGE of one key ${keyUsage} B; Redis ${version}, prefix "${PREFIX}"`,
        threshold: `≤ ${BYTES_THRESHOLD} B (both)`,
        verdict: verdict(liveKeys === n && perSession <= BYTES_THRESHOLD && keyUsage <= BYTES_THRESHOLD),
      },
      {
        id: "4b",
        target: targetB,
        figure: `${count(left)} of ${count(n)} keys left ${waited.toFixed(1)} s after writing with TTL ${ttl} s; used_memory ${bytes(live)} → ${bytes(after)} (before: ${bytes(before)})`,
        threshold: "0 keys left; used_memory back within 5% of the growth",
        verdict: verdict(left === 0 && settled(after)),
      },
    ];
  } finally {
    store.dispose();
    redis.disconnect();
    await server.stop();
  }
}

function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function realisticClaims(i: number): AccessClaims {
  const iat = Math.floor(Date.now() / 1000);
  return {
    sub: randomUUID(),
    sid: randomToken(16),
    sv: i % 3,
    email: `user${i}.${randomToken(4)}@example.com`,
    name: "Bench User",
    jti: randomToken(12),
    email_verified: true,
    amr: ["pwd"],
    two_factor: false,
    auth_time: 0,
    iat,
    exp: iat + 300,
  };
}

function cacheMemory(ctx: BenchContext): Row {
  const max = parseEnv({}).VERIFIED_TOKEN_CACHE_SIZE;
  const gc = gcFunction();
  const cache = new VerifiedTokenCache(max);
  const fill = (from: number, to: number) => {
    for (let i = from; i < to; i++)
      cache.set(VerifiedTokenCache.keyOf(`token-${i}-${randomToken(8)}`), realisticClaims(i));
  };
  const base = heapAfterGc(gc);
  fill(0, max);
  const full = heapAfterGc(gc);
  const sizeFull = cache.size;
  fill(max, 4 * max); // three times more tokens than it may hold
  const over = heapAfterGc(gc);
  const sizeOver = cache.size;
  const growth = full - base;
  const overGrowth = over - base;
  ctx.log(
    `  4  verified-token cache: ${count(sizeFull)} entries +${bytes(growth)}; after ${count(4 * max)} inserts ${count(sizeOver)} entries +${bytes(overGrowth)}`,
  );
  return {
    id: "4c",
    target: "Verified-token cache memory per process",
    figure: `${count(sizeOver)} entries after ${count(4 * max)} distinct tokens (cap ${count(max)}); heap +${bytes(growth)} when full (${Math.round(growth / max)} B/entry), +${bytes(overGrowth)} after 4× the cap`,
    threshold: "entries ≤ cap; heap flat past the cap (≤ +20%)",
    verdict: verdict(sizeFull <= max && sizeOver <= max && overGrowth <= growth * 1.2 + 256 * 1024),
  };
}
