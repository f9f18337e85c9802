import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, type PrivateJwk } from "../../src/core/signing-keys";
import { Api, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { AppServer } from "../../scripts/lib/app-server";
import { uniquePrefix } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * The app process is stopped and started again (a deploy, a crash loop, a scaled-down instance):
 * sessions, the devices list and revocations survive, in both storage modes (embedded: the PGlite
 * folder and an in-process store warmed from it; or PostgreSQL + Redis), and so do the signing
 * keys. A key rotation (new key first, old key kept) signs nobody out.
 */
const PASSWORD = "correct horse battery";
const ISSUER = "http://revocable.test";

let testApp: TestApp;
let api: Api;
let oldKey: PrivateJwk;
let baseEnv: Record<string, string>;
let rotated: AppServer | undefined;
/** Revoked after the first restart: must still be refused after the next one. */
let revokedBetweenRestarts: TokenBody | undefined;

beforeAll(async () => {
  oldKey = await generateSigningKey();
  const secrets = {
    AUTH_SECRET: "restart-test-secret-restart-test-secret-0123456789",
    JWT_SIGNING_KEYS: JSON.stringify({ keys: [oldKey] }),
    REDIS_KEY_PREFIX: uniquePrefix("restart"),
  };
  testApp = await startTestApp("restart", secrets);
  api = new Api(testApp.app.url);
  baseEnv = testApp.env;
});

afterAll(async () => {
  await rotated?.stop();
  await testApp?.stop();
});

/** kill -9 of the app process (AppServer.stop() sends SIGTERM): no shutdown hook, no database close, a stale lock. */
async function killHard(app: AppServer): Promise<void> {
  const child = (app as unknown as { child?: ChildProcess }).child;
  if (!child || child.exitCode !== null) throw new Error("the app is not running");
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
  // Not app.stop(): it tells a dead child by `exitCode`, which stays null after a signal, and would
  // wait for an exit that already happened. start() replaces the child anyway.
}

function header(token: string) {
  return decodeProtectedHeader(token);
}

async function jwks(): Promise<JSONWebKeySet> {
  const res = await api.call<JSONWebKeySet>("GET", "/.well-known/jwks.json");
  expect(res.status).toBe(200);
  return res.body;
}

async function expectAccepted(token: string, label: string) {
  const res = await api.me(token);
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(200);
}

async function expectRefused(token: string, label: string) {
  const res = await api.me(token);
  expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(401);
  expect(res.body).toMatchObject({ error: "invalid_token" });
}

describe("an app restarted on the same data", () => {
  it("keeps sessions, the devices list, revocations and signing keys", async () => {
    const email = uniqueEmail("restart");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const laptop = await api.device(email, PASSWORD);
    const phone = await api.device(email, PASSWORD);
    const tablet = await api.device(email, PASSWORD);
    const lost = await api.device(email, PASSWORD);
    expect((await api.deleteSession(laptop.access_token, lost.session_id)).status).toBe(204);
    expect((await api.logout(tablet.access_token)).status).toBe(204);
    // A second user whose sessions all ended through an epoch raise (no per-session revocation).
    const other = uniqueEmail("restart-global");
    expect((await api.register(other, PASSWORD)).status).toBe(201);
    const globalA = await api.device(other, PASSWORD);
    const globalB = await api.device(other, PASSWORD);
    expect((await api.logout(globalA.access_token, "global")).status).toBe(204);
    // A third whose password changed: the changing device is on the new epoch, the other is out.
    const third = uniqueEmail("restart-password");
    expect((await api.register(third, PASSWORD)).status).toBe(201);
    const changer = await api.device(third, PASSWORD);
    const bystander = await api.device(third, PASSWORD);
    const changed = await api.changePassword(changer.access_token, PASSWORD, `${PASSWORD} 2`);
    expect(changed.status).toBe(200);

    const listBefore = (await api.sessions(laptop.access_token)).body.sessions;
    expect(listBefore.map((s) => s.id).sort()).toEqual([laptop.session_id, phone.session_id].sort());
    const jwksBefore = await jwks();

    await testApp.app.stop();
    await testApp.app.start();

    // Revocations made before the restart: still refused, at once (the first request after boot).
    await expectRefused(lost.access_token, "a deleted device");
    await expectRefused(tablet.access_token, "a logged-out device");
    await expectRefused(globalA.access_token, "log out everywhere (the caller)");
    await expectRefused(globalB.access_token, "log out everywhere (another device)");
    await expectRefused(changer.access_token, "the token from before a password change");
    await expectRefused(bystander.access_token, "another device after a password change");
    for (const t of [lost, tablet, globalA, globalB, changer, bystander]) {
      const res = await api.refresh(t.refresh_token);
      expect(res.status, `refresh of a revoked session after the restart: ${JSON.stringify(res.body)}`).toBe(400);
    }
    expect((await api.signIn(third, PASSWORD)).status).toBe(400);

    // Tokens issued before the restart: the same keys verify them.
    await expectAccepted(laptop.access_token, "a live device's token from before the restart");
    await expectAccepted(phone.access_token, "another live device");
    await expectAccepted(changed.body.access_token, "the password changer's new token");
    expect(await jwks()).toEqual(jwksBefore);

    // The devices list, and refresh tokens, survive.
    const listAfter = (await api.sessions(laptop.access_token)).body.sessions;
    expect(listAfter.map((s) => ({ id: s.id, createdAt: s.createdAt }))).toEqual(
      listBefore.map((s) => ({ id: s.id, createdAt: s.createdAt })),
    );
    const refreshed = await api.refresh(phone.refresh_token);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.session_id).toBe(phone.session_id);
    await expectAccepted(refreshed.body.access_token, "a token refreshed after the restart");
    const changerRefreshed = await api.refresh(changed.body.refresh_token);
    expect(changerRefreshed.status).toBe(200);
    expect((await api.signIn(third, `${PASSWORD} 2`)).status).toBe(200);

    // And a revocation after the restart works as before.
    expect((await api.deleteSession(laptop.access_token, phone.session_id)).status).toBe(204);
    await expectRefused(refreshed.body.access_token, "revoked after the restart");
    revokedBetweenRestarts = refreshed.body;
  });

  it("a crashed app (SIGKILL, no shutdown at all) comes back with its data and revocations", async () => {
    const email = uniqueEmail("crash");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const a = await api.device(email, PASSWORD);
    const b = await api.device(email, PASSWORD);
    const c = await api.device(email, PASSWORD);
    expect((await api.deleteSession(a.access_token, b.session_id)).status).toBe(204);
    const rotatedJustBefore = await api.refresh(c.refresh_token);
    expect(rotatedJustBefore.status).toBe(200);

    await killHard(testApp.app);
    await testApp.app.start();

    await expectRefused(b.access_token, "revoked just before the crash");
    expect((await api.refresh(b.refresh_token)).status).toBe(400);
    await expectAccepted(a.access_token, "live before the crash");
    // The rotation committed before the crash holds: the successor works, the old token is spent.
    const next = await api.refresh(rotatedJustBefore.body.refresh_token);
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect((await api.sessions(a.access_token)).body.sessions.map((s) => s.id).sort()).toEqual(
      [a.session_id, c.session_id].sort(),
    );
    expect((await api.signIn(email, PASSWORD)).status).toBe(200);
  });

  it("a key rotation (new key first, old key kept) signs nobody out", async () => {
    const email = uniqueEmail("rotate");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const before = await api.device(email, PASSWORD);
    const revokedBefore = await api.device(email, PASSWORD);
    expect((await api.deleteSession(before.access_token, revokedBefore.session_id)).status).toBe(204);
    expect(header(before.access_token).kid).toBe(oldKey.kid);
    const bystanderEmail = uniqueEmail("rotate-bystander");
    expect((await api.register(bystanderEmail, PASSWORD)).status).toBe(201);
    const bystander = await api.device(bystanderEmail, PASSWORD);

    const newKey = await generateSigningKey();
    expect(newKey.kid).not.toBe(oldKey.kid);
    await testApp.app.stop();
    rotated = await AppServer.start(
      { ...baseEnv, JWT_SIGNING_KEYS: JSON.stringify({ keys: [newKey, oldKey] }) },
      testApp.app.port,
    );

    // Old tokens still accepted, revoked ones still refused.
    await expectAccepted(before.access_token, "a token signed with the old key");
    await expectRefused(revokedBefore.access_token, "a token revoked before the rotation");
    await expectAccepted(bystander.access_token, "another user's token signed with the old key");
    if (revokedBetweenRestarts) {
      await expectRefused(revokedBetweenRestarts.access_token, "revoked between two restarts");
      expect((await api.refresh(revokedBetweenRestarts.refresh_token)).status).toBe(400);
    }

    // New tokens carry the new kid: from a sign-in, a refresh, and a password change.
    const signedIn: TokenBody = await api.device(email, PASSWORD);
    expect(header(signedIn.access_token)).toMatchObject({ kid: newKey.kid, alg: "ES256" });
    await expectAccepted(signedIn.access_token, "a token signed with the new key");
    const refreshed = await api.refresh(before.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(header(refreshed.body.access_token).kid).toBe(newKey.kid);
    await expectAccepted(refreshed.body.access_token, "a refreshed token");

    // The JWKS serves both public keys, nothing private, and verifies tokens of either key.
    const set = await jwks();
    expect(set.keys.map((k) => k.kid).sort()).toEqual([newKey.kid, oldKey.kid].sort());
    expect(set.keys[0]!.kid).toBe(newKey.kid);
    for (const key of set.keys) expect(key).not.toHaveProperty("d");
    const verifier = createLocalJWKSet(set);
    const audience = "revocable-sessions-api";
    for (const token of [before.access_token, signedIn.access_token]) {
      const { payload } = await jwtVerify(token, verifier, { issuer: ISSUER, audience });
      expect(payload.sub).toBeTruthy();
    }

    // Revocation still works across keys: log out everywhere refuses tokens of both keys.
    expect((await api.logout(signedIn.access_token, "global")).status).toBe(204);
    await expectRefused(before.access_token, "an old-key token after log out everywhere");
    await expectRefused(refreshed.body.access_token, "a new-key token after log out everywhere");

    // Retiring the old key later (only the new one) refuses what the old key signed, nothing else breaks.
    const fresh = await api.device(email, PASSWORD);
    await rotated.stop();
    rotated = await AppServer.start(
      { ...baseEnv, JWT_SIGNING_KEYS: JSON.stringify({ keys: [newKey] }) },
      testApp.app.port,
    );
    await expectAccepted(fresh.access_token, "a new-key token once the old key is retired");
    await expectRefused(bystander.access_token, "a token signed with a retired key");
    // ... but its session is not lost: the refresh token is not a JWT, it still works.
    const renewed = await api.refresh(bystander.refresh_token);
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(header(renewed.body.access_token).kid).toBe(newKey.kid);
    await expectAccepted(renewed.body.access_token, "the bystander's renewed token");
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([newKey.kid]);
  });
});
