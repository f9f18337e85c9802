import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { waitFor } from "../../scripts/lib/ports";
import { PrivateRedis } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * Redis stopped in the middle of traffic: every answer stays correct (the database takes over),
 * and revocations made while it was down are still enforced once it is back and resynced.
 * Runs against a private redis-server on its own port; the shared Redis is never touched.
 */
let redis: PrivateRedis;
let testApp: TestApp;
let api: Api;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  redis = await PrivateRedis.start();
  testApp = await startTestApp("outage", { REDIS_URL: redis.url, REDIS_KEY_PREFIX: "rv:" });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
  await redis?.stop();
});

describe("Redis stopped mid-test", () => {
  it("never accepts a revoked token, before, during or after the outage", async () => {
    const email = uniqueEmail("outage");
    await api.register(email, PASSWORD);
    const devices: TokenBody[] = [];
    for (let i = 0; i < 4; i++) devices.push(await api.device(email, PASSWORD));
    const [keeper, revokedBefore, revokedDuring, revokedByGlobal] = devices as [
      TokenBody,
      TokenBody,
      TokenBody,
      TokenBody,
    ];

    expect((await api.deleteSession(keeper.access_token, revokedBefore.session_id)).status).toBe(204);
    expect((await api.me(revokedBefore.access_token)).status).toBe(401);

    await redis.stop();

    // Every request still gets a correct answer from the database fallback.
    expect((await api.me(keeper.access_token)).status).toBe(200);
    expect((await api.me(revokedBefore.access_token)).status).toBe(401);
    expect((await api.deleteSession(keeper.access_token, revokedDuring.session_id)).status).toBe(204);
    expect((await api.me(revokedDuring.access_token)).status).toBe(401);
    expect((await api.me(keeper.access_token)).status).toBe(200);
    expect((await api.sessions(keeper.access_token)).body.sessions).toHaveLength(2);
    const refreshed = await api.refresh(keeper.refresh_token);
    expect(refreshed.status).toBe(200);

    // Back, empty (no persistence): the store must relearn what the database knows before trusting itself.
    await redis.start();
    const health = await waitFor("the store to be back", async () => {
      const res = await api.call("GET", "/api/health");
      return res.status === 200 ? res : undefined;
    });
    expect(health.body).toMatchObject({ revocationStore: "redis" });
    for (let i = 0; i < 20; i++) {
      expect((await api.me(revokedBefore.access_token)).status).toBe(401);
      expect((await api.me(revokedDuring.access_token)).status).toBe(401);
      expect((await api.me(refreshed.body.access_token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    }

    // And revocations after the return go through Redis again.
    expect((await api.logout(refreshed.body.access_token, "global")).status).toBe(204);
    expect((await api.me(refreshed.body.access_token)).status).toBe(401);
    expect((await api.me(revokedByGlobal.access_token)).status).toBe(401);
  });
});
