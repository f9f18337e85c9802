import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * Refresh-token reuse across the whole chain, and who pays for refused refreshes, over HTTP with the
 * real limits (RATE_LIMIT_SCALE=1) and a 1-second grace window.
 *
 * Two client addresses without trusting any header: the forger connects from 127.0.0.2 (a loopback
 * address of its own), the session's holder from 127.0.0.1 through `fetch`.
 */
let testApp: TestApp;
let api: Api;
const PASSWORD = "correct horse battery";
const GRACE_MS = 1_000;

beforeAll(async () => {
  testApp = await startTestApp("refresh-reuse", { RATE_LIMIT_SCALE: "1", REFRESH_GRACE_SECONDS: "1" });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

async function userWithDevices(count: number): Promise<TokenBody[]> {
  const email = uniqueEmail("reuse");
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const devices = [];
  for (let i = 0; i < count; i++) devices.push(await api.device(email, PASSWORD));
  return devices;
}

async function refreshOk(token: string): Promise<TokenBody> {
  const res = await api.refresh(token);
  expect(res.status).toBe(200);
  return res.body;
}

/** A refresh sent from another loopback address than the test's own fetch calls. */
function refreshFrom(localAddress: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: token }).toString();
  const url = new URL("/api/auth/token", testApp.app.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", localAddress, headers: { "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function forged(sessionId: string): string {
  return `${sessionId}.${randomBytes(32).toString("base64url")}`;
}

describe("refresh-token reuse", () => {
  it("any earlier token of the chain, after the grace window, signs that session out and only that one", async () => {
    const [victim, other] = (await userWithDevices(2)) as [TokenBody, TokenBody];
    const t1 = await refreshOk(victim.refresh_token);
    const t2 = await refreshOk(t1.refresh_token);
    await new Promise((r) => setTimeout(r, GRACE_MS + 300));

    const reused = await api.refresh(victim.refresh_token); // two generations back
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/signed out/),
    });

    expect((await api.refresh(t2.refresh_token)).status).toBe(400);
    expect((await api.me(t2.access_token)).status).toBe(401);
    expect((await api.me(other.access_token)).status).toBe(200);
    expect((await api.refresh(other.refresh_token)).status).toBe(200);

    const activity = await api.call<{ items: { type: string; reason: string | null }[] }>(
      "GET",
      "/api/account/activity",
      { token: other.access_token },
    );
    expect(activity.body.items).toContainEqual(
      expect.objectContaining({ type: "session_revoked", reason: "refresh_token_reused" }),
    );
    const logged = testApp.app.logs
      .split("\n")
      .filter((line) => line.includes('"event":"refresh_token_reused"') && line.includes(victim.session_id));
    expect(logged).toHaveLength(1);
  });

  it("a forged token naming a live session's id is a plain invalid_grant and signs nobody out", async () => {
    const [victim] = (await userWithDevices(1)) as [TokenBody];
    const current = await refreshOk(victim.refresh_token);
    await new Promise((r) => setTimeout(r, GRACE_MS + 300));

    const res = await api.refresh(forged(victim.session_id));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "invalid_grant", error_description: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/signed out/);

    expect((await api.me(current.access_token)).status).toBe(200);
    expect((await api.refresh(current.refresh_token)).status).toBe(200);
  });
});

describe("refused refreshes", () => {
  it("are counted against the sender's address: forged tokens for a session never block its holder", async () => {
    const [victim] = (await userWithDevices(1)) as [TokenBody];
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await refreshFrom("127.0.0.2", forged(victim.session_id))).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(400));
    expect(statuses[30]).toBe(429);

    const held = await refreshFrom("127.0.0.2", forged(victim.session_id));
    expect(held.body).toMatchObject({ error: "rate_limited", error_description: expect.stringMatching(/too many/i) });

    const own = await api.refresh(victim.refresh_token);
    expect(own.status).toBe(200);
    expect((await api.me(own.body.access_token)).status).toBe(200);
  });

  it("never keep a browser whose access token lapsed from renewing through its refresh cookie", async () => {
    const [victim] = (await userWithDevices(1)) as [TokenBody];
    for (let i = 0; i < 31; i++) await refreshFrom("127.0.0.2", forged(victim.session_id));

    // Only the refresh cookie: what a browser sends once the session cookie's JWT has run out.
    const page = await fetch(`${testApp.app.url}/devices`, {
      headers: { cookie: `rjs.refresh-token=${victim.refresh_token}` },
      redirect: "manual",
    });
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie().some((c) => c.startsWith("rjs.session-token=ey"))).toBe(true);
  });
});
