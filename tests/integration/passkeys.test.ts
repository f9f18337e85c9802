/**
 * Passkeys over HTTP on the real app, answered by a software authenticator (real WebAuthn
 * verification), with its mail taken by a real SMTP server; then the passkey repository's SQL on
 * the real database. Storage follows DATABASE_URL / REDIS_URL. The app runs with APP_URL on
 * localhost: WebAuthn refuses an IP address as relying party id.
 */
import { randomUUID } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { createTestDatabase, type TestDatabase } from "../../scripts/lib/databases";
import { CAPTURE_MAIL_FROM, startMailCapture, type MailCapture } from "../../scripts/lib/mail-capture";
import { freePort } from "../../scripts/lib/ports";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { openDatabase, type Database } from "../../src/server/db/prisma";
import { createSignInMethodRepository } from "../../src/server/repositories/prisma-sign-in-methods";
import { PrismaUserRepository } from "../../src/server/repositories/prisma-users";
import { accountApi, withOldAuthTime } from "../support/account-api";
import { SoftAuthenticator } from "../support/soft-authenticator";

const PASSWORD = "correct horse battery";

let capture: MailCapture;
let testApp: TestApp;
let api: Api;
let origin: string;

beforeAll(async () => {
  capture = await startMailCapture();
  const port = await freePort();
  origin = `http://localhost:${port}`;
  testApp = await startTestApp(
    "passkeys",
    { APP_URL: origin, SMTP_URL: capture.url, MAIL_FROM: CAPTURE_MAIL_FROM },
    port,
  );
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
  await capture?.close();
});

interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A new account signed in with its password, and a software authenticator of its own. */
async function newAccount(label: string) {
  const email = uniqueEmail(label);
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const device = await api.device(email, PASSWORD);
  return { email, device, authenticator: new SoftAuthenticator() };
}

const registrationOptions = (token: string, password?: string) =>
  api.call<Parameters<SoftAuthenticator["register"]>[0]>("POST", "/api/account/passkeys/options", {
    token,
    json: password === undefined ? {} : { password },
  });

async function addPasskey(token: string, authenticator: SoftAuthenticator, name: string) {
  const options = await registrationOptions(token);
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const response = authenticator.register(options.body, { origin });
  const added = await api.call<PasskeyView>("POST", "/api/account/passkeys", { token, json: { name, response } });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body;
}

const signInOptions = () =>
  api.call<Parameters<SoftAuthenticator["authenticate"]>[0]>("POST", "/api/auth/passkey/options");

async function passkeySignIn(
  authenticator: SoftAuthenticator,
  ceremony: { counter?: number; origin?: string; credentialId?: string } = {},
  deviceName?: string,
) {
  const options = await signInOptions();
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const response = authenticator.authenticate(options.body, { origin, ...ceremony });
  return {
    response,
    res: await api.call<TokenBody>("POST", "/api/auth/passkey", {
      json: deviceName ? { response, device_name: deviceName } : { response },
    }),
  };
}

const listPasskeys = (token: string) =>
  api.call<{ passkeys: PasskeyView[] }>("GET", "/api/account/passkeys", { token });

const removePasskey = (token: string, id: string, password?: string) =>
  api.call("DELETE", `/api/account/passkeys/${id}`, { token, json: password === undefined ? {} : { password } });

describe.concurrent("passkeys over HTTP", () => {
  it("adds a passkey for the app's host, lists it, mails the owner and shows it in the activity", async () => {
    const { email, device, authenticator } = await newAccount("add");
    const options = await registrationOptions(device.access_token);
    expect(options.status).toBe(200);
    expect(options.body.rp.id).toBe("localhost");
    const since = Date.now();
    const response = authenticator.register(options.body, { origin });
    const added = await api.call<PasskeyView>("POST", "/api/account/passkeys", {
      token: device.access_token,
      json: { name: " Work laptop ", response },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ id: response.id, name: "Work laptop", lastUsedAt: null });
    expect((await listPasskeys(device.access_token)).body.passkeys).toEqual([added.body]);

    const mail = await capture.waitFor(email, { subject: /^A passkey was added to your account$/, since });
    expect(mail.text).toContain('"Work laptop"');
    expect(await accountApi(api).activityTypes(device.access_token)).toContain("passkey_added");
    const activity = await api.call<{ items: { type: string; title: string }[] }>("GET", "/api/account/activity", {
      token: device.access_token,
    });
    expect(activity.body.items.find((item) => item.type === "passkey_added")?.title).toBe("Passkey added");
  });

  it("signs a device in: a token pair that works, a session marked passkey with amr hwk+user", async () => {
    const { device, authenticator } = await newAccount("signin");
    const passkey = await addPasskey(device.access_token, authenticator, "Phone");
    const { res } = await passkeySignIn(authenticator, {}, "My phone");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const claims = decodeJwt(res.body.access_token);
    expect(claims.amr).toEqual(["hwk", "user"]);
    expect((await api.me(res.body.access_token)).status).toBe(200);
    const sessions = await api.call<{
      sessions: { id: string; signInMethod: string; amr: string[]; deviceName: string }[];
    }>("GET", "/api/sessions", { token: res.body.access_token });
    expect(sessions.body.sessions.find((s) => s.id === res.body.session_id)).toMatchObject({
      signInMethod: "passkey",
      amr: ["hwk", "user"],
      deviceName: "My phone",
    });
    expect(sessions.body.sessions.find((s) => s.id === device.session_id)).toMatchObject({ signInMethod: "password" });
    const [listed] = (await listPasskeys(device.access_token)).body.passkeys;
    expect(listed).toMatchObject({ id: passkey.id });
    expect(listed!.lastUsedAt).not.toBeNull();
    // Its auth_time is the passkey sign-in: re-authentication is satisfied without a password.
    expect((await registrationOptions(res.body.access_token)).status).toBe(200);
  });

  it("uses a sign-in challenge once", async () => {
    const { device, authenticator } = await newAccount("replay");
    await addPasskey(device.access_token, authenticator, "Key");
    const { response, res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(200);
    const replay = await api.call("POST", "/api/auth/passkey", { json: { response } });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/already used/),
    });
  });

  it("refuses a counter that goes backwards, and an answer made for another origin", async () => {
    const { device, authenticator } = await newAccount("counter");
    await addPasskey(device.access_token, authenticator, "Key");
    expect((await passkeySignIn(authenticator, { counter: 10 })).res.status).toBe(200);
    const cloned = (await passkeySignIn(authenticator, { counter: 4 })).res;
    expect(cloned.status).toBe(400);
    expect(cloned.body).toMatchObject({ error: "invalid_grant" });
    const phished = (await passkeySignIn(authenticator, { origin: "https://login.evil.example" })).res;
    expect(phished.status).toBe(400);
    expect((await passkeySignIn(authenticator, { counter: 11 })).res.status).toBe(200);
  });

  it("removal needs a recent sign-in or the password; a removed passkey no longer signs in", async () => {
    const { email, device, authenticator } = await newAccount("remove");
    const passkey = await addPasskey(device.access_token, authenticator, "Old phone");
    const old = await withOldAuthTime(testApp.env, device.access_token, 3600);
    const refused = await removePasskey(old, passkey.id);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: "insufficient_user_authentication" });
    expect((await registrationOptions(old)).status).toBe(401);
    expect((await removePasskey(old, passkey.id, "wrong password")).status).toBe(400);
    expect((await listPasskeys(device.access_token)).body.passkeys).toHaveLength(1);

    const since = Date.now();
    expect((await removePasskey(old, passkey.id, PASSWORD)).status).toBe(204);
    expect((await listPasskeys(device.access_token)).body.passkeys).toEqual([]);
    const mail = await capture.waitFor(email, { subject: /^A passkey was removed from your account$/, since });
    expect(mail.text).toContain('"Old phone"');
    expect(await accountApi(api).activityTypes(device.access_token)).toContain("passkey_removed");

    const { res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/not recognised/),
    });
  });

  it("cannot remove another user's passkey", async () => {
    const ada = await newAccount("ada");
    const bob = await newAccount("bob");
    const passkey = await addPasskey(ada.device.access_token, ada.authenticator, "Ada's key");
    const res = await removePasskey(bob.device.access_token, passkey.id);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: "not_found" });
    expect((await listPasskeys(ada.device.access_token)).body.passkeys).toHaveLength(1);
  });

  it("answers malformed bodies with 400 and a readable message", async () => {
    const { device } = await newAccount("malformed");
    const bad = await api.call("POST", "/api/account/passkeys", {
      token: device.access_token,
      json: { name: "x", response: { id: "not base64url!" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: "invalid_request" });
    const noResponse = await api.call("POST", "/api/auth/passkey", { json: {} });
    expect(noResponse.status).toBe(400);
    expect(noResponse.body).toMatchObject({ error: "invalid_request" });
  });
});

describe("the passkey repository on the real database", () => {
  let testDb: TestDatabase;
  let db: Database;
  let users: PrismaUserRepository;
  let methods: ReturnType<typeof createSignInMethodRepository>;

  beforeAll(async () => {
    testDb = await createTestDatabase("passkeyrepo");
    db = await openDatabase(
      testDb.kind === "postgresql"
        ? { kind: "postgresql", url: testDb.url! }
        : { kind: "pglite", dataDir: testDb.env.PGLITE_DATA_DIR! },
    );
    users = new PrismaUserRepository(db.prisma);
    methods = createSignInMethodRepository(db.prisma);
  });

  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  async function userWithPasskeys(count: number) {
    const user = (await users.create({
      id: randomUUID(),
      email: `passkey-repo-${randomUUID()}@example.test`,
      name: null,
      passwordHash: "hash",
    }))!;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = randomUUID().replaceAll("-", "");
      expect(
        await methods.addPasskey({
          id,
          userId: user.id,
          name: `key ${i}`,
          publicKey: new Uint8Array([1, 2, 3, i]),
          counter: 0,
          transports: ["internal"],
          createdAt: new Date(),
          lastUsedAt: null,
        }),
      ).toBe(true);
      ids.push(id);
    }
    return { user, ids };
  }

  it("stores the key's bytes and refuses a credential id twice", async () => {
    const { user, ids } = await userWithPasskeys(1);
    const found = await methods.findPasskey(ids[0]!);
    expect(found).toMatchObject({ userId: user.id, counter: 0, transports: ["internal"] });
    expect([...found!.publicKey]).toEqual([1, 2, 3, 0]);
    const again = { ...found!, name: "copy" };
    expect(await methods.addPasskey(again)).toBe(false);
  });

  it("records a use with a compare-and-set on the counter: of two at once, one wins", async () => {
    const { ids } = await userWithPasskeys(1);
    const id = ids[0]!;
    const now = new Date();
    const results = await Promise.all([
      methods.recordPasskeyUse(id, { expectedCounter: 0, newCounter: 1, now }),
      methods.recordPasskeyUse(id, { expectedCounter: 0, newCounter: 1, now }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await methods.recordPasskeyUse(id, { expectedCounter: 0, newCounter: 2, now })).toBe(false);
    expect(await methods.findPasskey(id)).toMatchObject({ counter: 1, lastUsedAt: now });
    expect(await methods.recordPasskeyUse("no-such-passkey", { expectedCounter: 1, newCounter: 2, now })).toBe(false);
  });

  it("keeps the last way into an account without a password, and removes only the owner's passkeys", async () => {
    const { user, ids } = await userWithPasskeys(2);
    const other = await userWithPasskeys(0);
    expect(await methods.removeWayIn(other.user.id, { kind: "passkey", id: ids[0]! })).toBe("not_found");
    await db.prisma.$executeRaw`UPDATE users SET password_hash = NULL WHERE id = ${user.id}::uuid`;
    const both = await Promise.all(ids.map((id) => methods.removeWayIn(user.id, { kind: "passkey", id })));
    expect(both.sort()).toEqual(["last_way_in", "removed"]);
    expect(await methods.listPasskeys(user.id)).toHaveLength(1);
  });
});
