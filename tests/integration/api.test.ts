import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, CHROME_MAC, SAFARI_IPHONE, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { usingPostgres } from "../../scripts/lib/databases";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

let testApp: TestApp;
let api: Api;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  testApp = await startTestApp("api");
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

/** A user with `count` signed-in devices. */
async function userWithDevices(count: number, userAgents = [CHROME_MAC, SAFARI_IPHONE]) {
  const email = uniqueEmail();
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const devices: TokenBody[] = [];
  for (let i = 0; i < count; i++) devices.push(await api.device(email, PASSWORD, userAgents[i % userAgents.length]));
  return { email, devices };
}

function expectInvalidToken(res: { status: number; body: unknown; headers: Headers }) {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ error: "invalid_token" });
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
}

describe("a user's devices sign out independently: the one signed out at once, the others never, over HTTP", () => {
  it("a logged-out device's token is refused at once; the same user's other device keeps working", async () => {
    const { devices } = await userWithDevices(2);
    const [phone, laptop] = devices as [TokenBody, TokenBody];
    expect((await api.me(phone.access_token)).status).toBe(200);

    expect((await api.logout(phone.access_token)).status).toBe(204);

    expectInvalidToken(await api.me(phone.access_token));
    expect((await api.refresh(phone.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    expect((await api.me(laptop.access_token)).status).toBe(200);
    expect((await api.refresh(laptop.refresh_token)).status).toBe(200);
  });

  it("two devices signing in and out in turn never invalidate each other", async () => {
    const { email, devices } = await userWithDevices(2);
    let [a, b] = devices as [TokenBody, TokenBody];
    for (let round = 0; round < 4; round++) {
      expect((await api.logout(a.access_token)).status).toBe(204);
      expect((await api.me(b.access_token)).status).toBe(200);
      a = await api.device(email, PASSWORD);
      expect((await api.me(b.access_token)).status).toBe(200);
      expect((await api.me(a.access_token)).status).toBe(200);
      [a, b] = [b, a];
    }
    expect((await api.sessions(a.access_token)).body.sessions).toHaveLength(2);
  });
});

describe("POST /api/auth/register", () => {
  it("creates a user, and refuses the same email in any letter case", async () => {
    const email = uniqueEmail("Reg");
    const created = await api.register(email, PASSWORD, "Ada");
    expect(created.status).toBe(201);
    expect(created.body.user).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      name: "Ada",
      emailVerified: false,
      twoFactor: false,
    });
    expect(created.body).not.toHaveProperty("user.passwordHash");
    const again = await api.register(email.toUpperCase(), PASSWORD);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "email_taken", error_description: expect.any(String) });
  });

  it.each([
    ["a bad email", { email: "not-an-email", password: PASSWORD }, "email"],
    ["a short password", { email: "x@example.com", password: "short" }, "password"],
    ["no fields", {}, "email"],
    ["a number as email", { email: 42, password: PASSWORD }, "email"],
  ])("answers 400 invalid_request for %s", async (_label, json, field) => {
    const res = await api.call("POST", "/api/auth/register", { json });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request", fields: { [field]: [expect.any(String)] } });
  });

  it("answers JSON errors for a broken or oversized body", async () => {
    const broken = await api.call("POST", "/api/auth/register", {
      raw: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: "invalid_request" });
    const huge = await api.call("POST", "/api/auth/register", {
      json: { email: "a@example.com", password: "x".repeat(40_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: "payload_too_large" });
  });
});

describe("POST /api/auth/token", () => {
  it("signs in with the password grant (form or JSON) and answers RFC 6749 fields, not cacheable", async () => {
    const email = uniqueEmail();
    await api.register(email, PASSWORD);
    const form = await api.signIn(email, PASSWORD, CHROME_MAC, "Work laptop");
    expect(form.status).toBe(200);
    expect(form.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 300,
      refresh_token: expect.any(String),
      session_id: expect.any(String),
    });
    expect(form.headers.get("cache-control")).toBe("no-store");
    const json = await api.call<TokenBody>("POST", "/api/auth/token", {
      json: { grant_type: "password", username: email.toUpperCase(), password: PASSWORD },
    });
    expect(json.status).toBe(200);
    expect(json.body.session_id).not.toBe(form.body.session_id);
    const list = await api.sessions(json.body.access_token);
    expect(list.body.sessions.find((s) => s.id === form.body.session_id)?.deviceName).toBe("Work laptop");
  });

  it("gives the same invalid_grant for a wrong password and an unknown email", async () => {
    const email = uniqueEmail();
    await api.register(email, PASSWORD);
    const wrong = await api.signIn(email, "wrong password");
    const unknown = await api.signIn(uniqueEmail("ghost"), "wrong password");
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ error: "invalid_grant" });
  });

  it("answers unsupported_grant_type and invalid_request", async () => {
    const unsupported = await api.call("POST", "/api/auth/token", { form: { grant_type: "client_credentials" } });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body).toMatchObject({ error: "unsupported_grant_type" });
    const missing = await api.call("POST", "/api/auth/token", { form: { username: "x@example.com" } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: "invalid_request" });
    const repeated = await api.call("POST", "/api/auth/token", {
      raw: "grant_type=password&grant_type=password",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(repeated.body).toMatchObject({ error: "invalid_request" });
  });

  it("rotates refresh tokens and keeps the session id", async () => {
    const { devices } = await userWithDevices(1);
    const first = devices[0]!;
    const second = await api.refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.session_id).toBe(first.session_id);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.headers.get("cache-control")).toBe("no-store");
    const third = await api.refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
    expect((await api.me(third.body.access_token)).body.session).toEqual({ id: first.session_id });
    expect((await api.refresh("garbage")).body).toMatchObject({ error: "invalid_grant" });
  });

  it("20 concurrent refreshes with the same token all succeed with one successor", async () => {
    const { devices } = await userWithDevices(1);
    const results = await Promise.all(Array.from({ length: 20 }, () => api.refresh(devices[0]!.refresh_token)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
    expect((await api.refresh(results[0]!.body.refresh_token)).status).toBe(200);
  });

  it("reuse outside the grace window revokes that session, and only that one", async () => {
    const { devices } = await userWithDevices(2);
    const [victim, other] = devices as [TokenBody, TokenBody];
    const successor = await api.refresh(victim.refresh_token);
    expect(successor.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500)); // the test app's grace window is 3 s

    const reused = await api.refresh(victim.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: "invalid_grant" });
    expectInvalidToken(await api.me(successor.body.access_token));
    expect((await api.refresh(successor.body.refresh_token)).status).toBe(400);
    expect((await api.me(other.access_token)).status).toBe(200);
  });
});

describe("GET /api/me", () => {
  it("answers the user and session, and 401 with WWW-Authenticate for a missing or malformed token", async () => {
    const { email, devices } = await userWithDevices(1);
    const me = await api.me(devices[0]!.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: { id: expect.any(String), email, name: null, emailVerified: false, twoFactor: false },
      session: { id: devices[0]!.session_id },
    });
    expectInvalidToken(await api.call("GET", "/api/me"));
    expectInvalidToken(await api.me("not.a.jwt"));
    expectInvalidToken(await api.me(devices[0]!.access_token.slice(0, -4) + "AAAA"));
    expectInvalidToken(await api.me(devices[0]!.refresh_token));
  });
});

describe("/api/sessions", () => {
  it("lists the caller's active devices only, newest activity first, with browser, OS and the current one", async () => {
    const { devices } = await userWithDevices(2);
    const [laptop, phone] = devices as [TokenBody, TokenBody];
    await userWithDevices(1); // someone else's device must not show up
    await api.refresh(laptop.refresh_token); // laptop becomes the most recently active
    const res = await api.sessions(phone.access_token);
    expect(res.status).toBe(200);
    expect(res.body.sessions.map((s) => s.id)).toEqual([laptop.session_id, phone.session_id]);
    expect(res.body.sessions[0]).toMatchObject({
      current: false,
      browser: "Chrome",
      os: "Mac OS 10.15.7",
      ip: expect.any(String),
    });
    expect(res.body.sessions[1]).toMatchObject({ current: true, browser: "Mobile Safari", os: "iOS 17.5" });
    expect(Date.parse(res.body.sessions[0]!.createdAt)).not.toBeNaN();
  });

  it("DELETE signs out one device (204) and answers 404 for a session that is not the caller's", async () => {
    const { devices } = await userWithDevices(2);
    const [me, other] = devices as [TokenBody, TokenBody];
    const stranger = (await userWithDevices(1)).devices[0]!;
    const foreign = await api.deleteSession(me.access_token, stranger.session_id);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: "not_found" });
    expect((await api.me(stranger.access_token)).status).toBe(200);
    expect((await api.deleteSession(me.access_token, "no-such-session")).status).toBe(404);

    expect((await api.deleteSession(me.access_token, other.session_id)).status).toBe(204);
    expectInvalidToken(await api.me(other.access_token));
    expect((await api.me(me.access_token)).status).toBe(200);
    expect((await api.sessions(me.access_token)).body.sessions.map((s) => s.id)).toEqual([me.session_id]);
    expect((await api.deleteSession(me.access_token, other.session_id)).status).toBe(404);
  });
});

describe("POST /api/auth/logout", () => {
  it("scope=others signs out every other device and keeps the caller", async () => {
    const { devices } = await userWithDevices(3);
    const [me, ...others] = devices as [TokenBody, TokenBody, TokenBody];
    expect((await api.logout(me.access_token, "others")).status).toBe(204);
    expect((await api.me(me.access_token)).status).toBe(200);
    for (const other of others) {
      expectInvalidToken(await api.me(other.access_token));
      expect((await api.refresh(other.refresh_token)).status).toBe(400);
    }
  });

  it("scope=global signs out every device including the caller; signing in again works", async () => {
    const { email, devices } = await userWithDevices(3);
    expect((await api.logout(devices[0]!.access_token, "global")).status).toBe(204);
    for (const device of devices) {
      expectInvalidToken(await api.me(device.access_token));
      expect((await api.refresh(device.refresh_token)).status).toBe(400);
    }
    const again = await api.device(email, PASSWORD);
    expect((await api.me(again.access_token)).status).toBe(200);
    expect((await api.sessions(again.access_token)).body.sessions).toHaveLength(1);
  });

  it("refuses an unknown scope and an unauthenticated call", async () => {
    const { devices } = await userWithDevices(1);
    const bad = await api.call("POST", "/api/auth/logout", {
      token: devices[0]!.access_token,
      json: { scope: "planet" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "invalid_request" });
    expectInvalidToken(await api.call("POST", "/api/auth/logout", { json: {} }));
  });
});

describe("POST /api/account/password", () => {
  it("re-issues this device, signs out the others and every earlier token, and retires the old password", async () => {
    const { email, devices } = await userWithDevices(2);
    const [me, other] = devices as [TokenBody, TokenBody];
    const res = await api.changePassword(me.access_token, PASSWORD, "a brand new passphrase");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "Bearer", session_id: me.session_id });
    expect((await api.me(res.body.access_token)).status).toBe(200);
    expect((await api.refresh(res.body.refresh_token)).status).toBe(200);
    expectInvalidToken(await api.me(me.access_token));
    expectInvalidToken(await api.me(other.access_token));
    expect((await api.refresh(other.refresh_token)).status).toBe(400);
    expect((await api.signIn(email, PASSWORD)).body).toMatchObject({ error: "invalid_grant" });
    expect((await api.signIn(email, "a brand new passphrase")).status).toBe(200);
  });

  it("with a wrong current password answers invalid_grant and changes nothing", async () => {
    const { email, devices } = await userWithDevices(2);
    const res = await api.changePassword(devices[0]!.access_token, "not my password", "a brand new passphrase");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_grant" });
    expect((await api.me(devices[1]!.access_token)).status).toBe(200);
    expect((await api.signIn(email, PASSWORD)).status).toBe(200);
  });

  it("validates the new password", async () => {
    const { devices } = await userWithDevices(1);
    const res = await api.changePassword(devices[0]!.access_token, PASSWORD, "short");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request", fields: { newPassword: [expect.any(String)] } });
  });
});

describe("POST /api/auth/revoke (RFC 7009)", () => {
  it("revokes by refresh token or access token and answers 200 even for garbage", async () => {
    const { devices } = await userWithDevices(3);
    const [a, b, c] = devices as [TokenBody, TokenBody, TokenBody];
    expect((await api.revoke(a.refresh_token)).status).toBe(200);
    expect((await api.revoke(b.access_token)).status).toBe(200);
    expect((await api.revoke("garbage")).status).toBe(200);
    expectInvalidToken(await api.me(a.access_token));
    expect((await api.refresh(b.refresh_token)).status).toBe(400);
    expect((await api.me(c.access_token)).status).toBe(200);
    const missing = await api.call("POST", "/api/auth/revoke", { form: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: "invalid_request" });
  });
});

describe("keys, health and unknown paths", () => {
  it("publishes a JWKS that verifies our access tokens (and holds no private key)", async () => {
    const { devices } = await userWithDevices(1);
    const jwks = await api.call<{ keys: Record<string, unknown>[] }>("GET", "/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const key of jwks.body.keys) expect(key).not.toHaveProperty("d");
    const { payload, protectedHeader } = await jwtVerify(
      devices[0]!.access_token,
      createRemoteJWKSet(new URL(`${testApp.app.url}/.well-known/jwks.json`)),
      {
        issuer: "http://revocable.test",
        audience: "revocable-sessions-api",
      },
    );
    expect(protectedHeader).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });
    expect(payload).toMatchObject({
      sid: devices[0]!.session_id,
      sv: 0,
      sub: expect.any(String),
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it("reports the storage it runs on", async () => {
    const res = await api.call("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ok",
      database: usingPostgres() ? "postgresql" : "pglite",
      revocationStore: testApp.redisUrl ? "redis" : "memory",
    });
  });

  it("answers JSON 404 for an unknown API path", async () => {
    const res = await api.call("GET", "/api/nope");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: "not_found" });
  });

  it("never printed a password or token to the log", () => {
    expect(testApp.app.logs).not.toContain(PASSWORD);
    expect(testApp.app.logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  });
});
