/**
 * The app on highly available Redis topologies (ADR 0010), each started privately by this file on
 * free loopback ports and removed at the end, whatever happens (the shared Redis is never touched):
 * - a master, a replica and a Sentinel: revocations enforced at once, then a Sentinel failover
 *   during traffic, after which the app reads and writes the new master;
 * - a 3-master Redis Cluster: revocations, log-out-everywhere, the live sign-out push over the
 *   cluster's pub/sub, rate limiting, every key of the app in one slot, and the boot error for a key
 *   prefix without a hash tag.
 * The database follows DATABASE_URL like every integration test (PGlite when unset).
 */
import { decodeJwt } from "jose";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, CHROME_MAC, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { AppServer } from "../../scripts/lib/app-server";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { testSecrets } from "../../scripts/lib/keys";
import { waitFor } from "../../scripts/lib/ports";
import { PrivateRedisCluster, PrivateSentinel, redisCall } from "../support/redis-topologies";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

const PASSWORD = "correct horse battery";

async function status(api: Api, token: string): Promise<number> {
  return (await api.me(token)).status;
}

async function expectHealthOnRedis(api: Api): Promise<void> {
  const health = await api.call("GET", "/api/health");
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: "ok", revocationStore: "redis" });
}

/**
 * Waits until the app refuses a token whose session was revoked in Redis *only* (the database
 * does not know): proof that the per-request check reads the Redis that `client` talks to.
 */
async function expectReadsFrom(
  client: Redis | Cluster,
  prefix: string,
  api: Api,
  device: TokenBody,
  withinMs = 10_000,
): Promise<number> {
  expect(await status(api, device.access_token)).toBe(200);
  const started = performance.now();
  await client.set(`${prefix}s:${device.session_id}`, "1", "EX", 120);
  await waitFor(
    "the app to read the revocation from Redis",
    async () => ((await status(api, device.access_token)) === 401 ? true : undefined),
    withinMs,
    50,
  );
  return performance.now() - started;
}

/**
 * A user with three devices; the first deletes the second through the API, which must be refused
 * at its very next request while the first stays signed in. The third is left for expectReadsFrom.
 */
async function revokeOneOfThree(
  api: Api,
  label: string,
): Promise<{ keeper: TokenBody; revoked: TokenBody; probe: TokenBody }> {
  await expectHealthOnRedis(api);
  const email = uniqueEmail(label);
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const [keeper, revoked, probe] = [
    await api.device(email, PASSWORD),
    await api.device(email, PASSWORD),
    await api.device(email, PASSWORD),
  ];
  expect(await status(api, revoked.access_token)).toBe(200);
  expect((await api.deleteSession(keeper.access_token, revoked.session_id)).status).toBe(204);
  expect(await status(api, revoked.access_token)).toBe(401);
  expect(await status(api, keeper.access_token)).toBe(200);
  return { keeper, revoked, probe };
}

// ---------------------------------------------------------------- the two deployments

const SENTINEL_PREFIX = "rjs:";
/** Not the default "{rjs}:", to show that any hash-tagged prefix works. */
const CLUSTER_PREFIX = "{rjs-it}:";
let sentinel: PrivateSentinel;
let cluster: PrivateRedisCluster;
let sentinelApp: TestApp;
let clusterApp: TestApp;
/** Run in reverse at the end, whether the tests (or the starts themselves) failed or not. */
const cleanups: (() => Promise<unknown>)[] = [];

/** Starts things at once; each one that started is stopped at the end even if another failed. */
async function startAll<T extends { stop(): Promise<unknown> }[]>(
  ...starts: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const results = await Promise.allSettled(starts);
  for (const result of results) if (result.status === "fulfilled") cleanups.push(() => result.value.stop());
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as T;
}

// Both deployments start together (the file's runtime is mostly the two apps booting).
beforeAll(async () => {
  [sentinel, cluster] = await startAll<[PrivateSentinel, PrivateRedisCluster]>(
    PrivateSentinel.start({ replica: true }),
    PrivateRedisCluster.start(3),
  );
  [sentinelApp, clusterApp] = await startAll<[TestApp, TestApp]>(
    startTestApp("sentinel", {
      REDIS_URL: "",
      REDIS_SENTINELS: sentinel.sentinels,
      REDIS_SENTINEL_NAME: sentinel.name,
      REDIS_KEY_PREFIX: SENTINEL_PREFIX,
    }),
    // The real rate limits (not the tests' usual 1000x), to see them enforced through the cluster.
    startTestApp("cluster", {
      REDIS_URL: "",
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_KEY_PREFIX: CLUSTER_PREFIX,
      RATE_LIMIT_SCALE: "1",
    }),
  );
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => console.error("redis-topologies: cleanup failed:", error));
});

// ---------------------------------------------------------------- Sentinel

describe("Redis Sentinel (REDIS_SENTINELS)", () => {
  const PREFIX = SENTINEL_PREFIX;
  let api: Api;
  beforeAll(() => {
    api = new Api(sentinelApp.app.url);
  });

  it("finds the master through the sentinel: a device revoked through the API is refused at the very next request", async () => {
    const { revoked, probe } = await revokeOneOfThree(api, "sentinel");
    const master = sentinel.client(await sentinel.masterPort());
    try {
      expect(await master.get(`${PREFIX}s:${revoked.session_id}`)).toBe("1");
      expect(await master.get(`${PREFIX}ready`)).toBe("1");
      await expectReadsFrom(master, PREFIX, api, probe);
    } finally {
      master.disconnect();
    }
  });

  it("survives a failover during traffic: never accepts a revoked token, then reads and writes the new master", async () => {
    const email = uniqueEmail("failover");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const keeper = await api.device(email, PASSWORD);
    const revoked = await api.device(email, PASSWORD);
    expect((await api.deleteSession(keeper.access_token, revoked.session_id)).status).toBe(204);
    const oldMaster = await sentinel.masterPort();

    // Traffic through the whole failover: the keeper is always served (Redis or, while it is
    // switching, the database), the revoked device never.
    const seen = { keeper: new Map<number, number>(), revoked: new Map<number, number>() };
    let traffic = true;
    const count = (map: Map<number, number>, code: number) => map.set(code, (map.get(code) ?? 0) + 1);
    const load = (async () => {
      while (traffic) {
        count(seen.keeper, await status(api, keeper.access_token));
        count(seen.revoked, await status(api, revoked.access_token));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    let newMaster: number;
    try {
      newMaster = await sentinel.failover();
      expect(newMaster).not.toBe(oldMaster);
      const client = sentinel.client(newMaster);
      try {
        // The app follows at once (it hears +switch-master from the sentinels; without that it
        // would stay on the old master until Sentinel demotes it, ~10 s later): a revocation
        // present only on the new master is enforced...
        const followedMs = await expectReadsFrom(client, PREFIX, api, await api.device(email, PASSWORD), 6_000);
        console.info(`sentinel: the app reads the new master ${followedMs.toFixed(0)} ms after the failover`);
        // ...and a revocation through the API lands there and is refused at the next request.
        const later = await api.device(email, PASSWORD);
        expect((await api.deleteSession(keeper.access_token, later.session_id)).status).toBe(204);
        expect(await status(api, later.access_token)).toBe(401);
        expect(await client.get(`${PREFIX}s:${later.session_id}`)).toBe("1");
      } finally {
        client.disconnect();
      }
    } finally {
      traffic = false;
      await load;
    }
    console.info(
      `sentinel failover ${oldMaster} -> ${newMaster}: keeper ${JSON.stringify([...seen.keeper])}, revoked ${JSON.stringify([...seen.revoked])}`,
    );
    expect([...seen.keeper.keys()]).toEqual([200]);
    expect([...seen.revoked.keys()]).toEqual([401]);
    expect(seen.keeper.get(200)).toBeGreaterThan(5);
    await expectHealthOnRedis(api);
  });
});

// ---------------------------------------------------------------- Cluster

/** The browser's sign-out stream (server-sent events), read with fetch until it says "signed-out". */
async function openSignOutStream(url: string, cookie: string) {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { cookie, accept: "text/event-stream", "user-agent": CHROME_MAC },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  /** Resolves with the data of the first `event: name`, reading more of the stream as needed. */
  const next = async (name: string, timeoutMs: number): Promise<unknown> => {
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      for (;;) {
        const match = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(text);
        if (match) return JSON.parse(match[1]!);
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended without "${name}": ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    } catch (error) {
      throw new Error(`no "${name}" event within ${timeoutMs} ms (${String(error)}): ${text}`);
    } finally {
      clearTimeout(timer);
    }
  };
  return { next, close: () => abort.abort() };
}

describe("Redis Cluster (REDIS_CLUSTER_NODES)", () => {
  const PREFIX = CLUSTER_PREFIX;
  let admin: Cluster;
  let api: Api;
  beforeAll(() => {
    api = new Api(clusterApp.app.url);
    admin = cluster.client();
    cleanups.push(async () => admin.disconnect());
  });

  it("a device revoked through the API is refused at the very next request", async () => {
    const { revoked, probe } = await revokeOneOfThree(api, "cluster");
    expect(await admin.get(`${PREFIX}s:${revoked.session_id}`)).toBe("1");
    await expectReadsFrom(admin, PREFIX, api, probe);
  });

  it("log out everywhere: every token refused at once, and a browser's stream hears it through the cluster's pub/sub", async () => {
    const email = uniqueEmail("cluster-all");
    const registered = await api.register(email, PASSWORD);
    expect(registered.status).toBe(201);
    const [phone, laptop] = [await api.device(email, PASSWORD), await api.device(email, PASSWORD)];
    const browser = await browserSignIn(api.baseUrl, email, PASSWORD, {
      origin: api.baseUrl,
      "user-agent": CHROME_MAC,
    });
    const sessionCookie = [...browser.cookies].find(([name, value]) => name.includes("session-token") && value);
    expect(browser.status, browser.body).toBe(200);
    expect(typeof decodeJwt(sessionCookie![1]).sid).toBe("string");

    const stream = await openSignOutStream(`${api.baseUrl}/api/session/events`, cookieHeader(browser.cookies));
    try {
      await stream.next("ready", 5_000);
      // The app's subscriber is live on some node of the cluster (PUBSUB NUMSUB is per node).
      const channel = `${PREFIX}revocations`;
      await waitFor(
        "the app's subscription",
        async () => {
          let total = 0;
          for (const port of cluster.ports)
            total += Number(((await redisCall(port, "PUBSUB", "NUMSUB", channel)) as [string, number])[1]);
          return total >= 1 ? true : undefined;
        },
        10_000,
      );

      const sent = performance.now();
      expect((await api.logout(phone.access_token, "global")).status).toBe(204);
      // "everywhere" comes only from the pushed notice (the stream's own periodic re-check says "revoked").
      expect(await stream.next("signed-out", 3_000)).toEqual({ reason: "everywhere" });
      console.info(
        `cluster: log out everywhere -> "signed-out" on the stream after ${(performance.now() - sent).toFixed(0)} ms`,
      );
    } finally {
      stream.close();
    }
    expect(await status(api, phone.access_token)).toBe(401);
    expect(await status(api, laptop.access_token)).toBe(401);
    expect(Number(await admin.get(`${PREFIX}e:${registered.body.user.id}`))).toBeGreaterThan(0);
    // A fresh sign-in after it works.
    expect(await status(api, (await api.device(email, PASSWORD)).access_token)).toBe(200);
  });

  it("rate limiting counts in the cluster: the 6th sign-in after 5 failures is refused", async () => {
    const email = uniqueEmail("cluster-rl");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await api.signIn(email, "wrong password!")).status).toBe(400);
    const limited = await api.signIn(email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The counters are in Redis, not in the per-process fallback.
    const counters = [...(await cluster.keysByNode(`${PREFIX}rl:*`)).values()].flat();
    expect(counters.length).toBeGreaterThanOrEqual(2);
    const values = await Promise.all(counters.map((key) => admin.get(key)));
    expect(values.map(Number)).toContain(5);
  });

  it("every key of the app lives in one slot, on one node", async () => {
    const byNode = await cluster.keysByNode(`${PREFIX}*`);
    expect(byNode.size).toBe(1);
    const keys = [...byNode.values()][0]!;
    expect(keys).toEqual(expect.arrayContaining([`${PREFIX}ready`]));
    const port = [...byNode.keys()][0]!;
    const slots = new Set(await Promise.all(keys.map((key) => redisCall(port, "CLUSTER", "KEYSLOT", key))));
    expect(slots.size).toBe(1);
  });

  it("refuses to boot in cluster mode with a key prefix that has no hash tag", async () => {
    const started = AppServer.start({
      ...(await testSecrets()),
      DATABASE_URL: "",
      PGLITE_DATA_DIR: "memory://",
      REDIS_URL: "",
      REDIS_CLUSTER_NODES: cluster.nodes,
      REDIS_KEY_PREFIX: "rjs:",
    });
    // The process stops at boot (before any request) and says why.
    await expect(started).rejects.toThrow(
      /the app exited \(1\)[\s\S]*REDIS_KEY_PREFIX: must contain a hash tag with REDIS_CLUSTER_NODES/,
    );
  });
});
