import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { PrivateRedis } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * A Bearer API request is checked once, by its route handler: one revocation-store MGET per
 * request, accepted or refused, and the proxy does not run for it (a cross-site call without a
 * token gets the handler's 401, not the proxy's 403). The app's Redis commands are watched with
 * MONITOR on a private redis-server; the database follows DATABASE_URL as usual.
 */
const PREFIX = "gate:";
const PASSWORD = "correct horse battery";

let redis: PrivateRedis;
let testApp: TestApp;
let api: Api;
let monitor: Redis;
let probe: Redis;
/** Every command the app sent since the last `commandsOf`. */
let seen: string[][] = [];

beforeAll(async () => {
  redis = await PrivateRedis.start();
  testApp = await startTestApp("gate", { REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX });
  api = new Api(testApp.app.url);
  probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  monitor = await new Redis(redis.url).monitor();
  monitor.on("monitor", (_time: string, args: string[]) => seen.push(args));
});

afterAll(async () => {
  monitor?.disconnect();
  probe?.disconnect();
  await testApp?.stop();
  await redis?.stop();
});

/**
 * The Redis commands a piece of work made: MONITOR reports commands in the order Redis ran them, so
 * once a marker sent after the work shows up, everything the work sent has been seen.
 */
async function commandsOf(work: () => Promise<unknown>): Promise<string[][]> {
  seen = [];
  await work();
  const marker = `gate-marker-${Math.random().toString(36).slice(2)}`;
  await probe.echo(marker);
  const deadline = Date.now() + 5_000;
  while (!seen.some((args) => args[0]?.toLowerCase() === "echo" && args[1] === marker)) {
    if (Date.now() > deadline) throw new Error("MONITOR did not report the marker");
    await new Promise((r) => setTimeout(r, 10));
  }
  const index = seen.findIndex((args) => args[0]?.toLowerCase() === "echo" && args[1] === marker);
  return seen.slice(0, index);
}

const mgets = (commands: string[][]) => commands.filter((args) => args[0]?.toLowerCase() === "mget");

describe("one Bearer check per request", () => {
  it("every Bearer API call makes exactly one revocation-store MGET, accepted or refused", async () => {
    const email = uniqueEmail("gate");
    await api.register(email, PASSWORD);
    const device = await api.device(email, PASSWORD);
    const other = await api.device(email, PASSWORD);
    expect((await api.me(device.access_token)).status).toBe(200); // the store is ready and the token verified

    const calls: [string, () => Promise<{ status: number }>, number][] = [
      ["GET /api/me", () => api.me(device.access_token), 200],
      ["GET /api/sessions", () => api.sessions(device.access_token), 200],
      [
        "GET /api/account/activity",
        () => api.call("GET", "/api/account/activity", { token: device.access_token }),
        200,
      ],
      ["DELETE /api/sessions/{id}", () => api.deleteSession(device.access_token, other.session_id), 204],
      ["GET /api/me, revoked token", () => api.me(other.access_token), 401],
    ];
    for (const [name, call, status] of calls) {
      let answered = 0;
      const commands = await commandsOf(async () => {
        answered = (await call()).status;
      });
      expect(answered, name).toBe(status);
      const checks = mgets(commands);
      expect(checks, `${name}: ${JSON.stringify(commands)}`).toHaveLength(1);
      expect(
        checks[0]!.slice(1).every((key) => key.startsWith(PREFIX)),
        name,
      ).toBe(true);
    }
  });

  it("a call without a token answers the handler's 401 and makes no MGET", async () => {
    let res: { status: number; headers: Headers } | undefined;
    const commands = await commandsOf(async () => {
      res = await api.call("GET", "/api/me");
    });
    expect(res!.status).toBe(401);
    expect(res!.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    expect(mgets(commands)).toEqual([]);
  });

  it("the proxy does not run for Bearer APIs: a cross-site state change without a token gets 401, not 403", async () => {
    for (const [method, path] of [
      ["POST", "/api/auth/logout"],
      ["POST", "/api/account/password"],
      ["DELETE", "/api/sessions/AAAAAAAAAAAAAAAAAAAAAA"],
    ] as const) {
      const res = await api.call(method, path, { json: {}, headers: { origin: "https://evil.example" } });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    // next-auth's endpoints stay behind it.
    const signout = await api.call("POST", "/api/auth/signout", { headers: { origin: "https://evil.example" } });
    expect(signout.status).toBe(403);
  });
});
