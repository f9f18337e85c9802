/**
 * Passkeys in the engine alone (fake clock and repositories), answered by a software
 * authenticator so that @simplewebauthn/server's real verification runs: registration, sign-in,
 * the challenge, origin and counter rules, removal and the last way in. Over HTTP:
 * tests/integration/passkeys.test.ts; in Chromium: e2e/passkeys.spec.ts.
 */
import { describe, expect, it } from "vitest";
import { describeActivity } from "@/core/activity";
import { sha256 } from "@/core/crypto";
import { PASSKEY_CHALLENGE_TTL_SECONDS } from "@/core/passkeys";
import { failure } from "../support/auth-failure";
import { MemoryLogger, makeEngine } from "../support/fakes";
import { SoftAuthenticator } from "../support/soft-authenticator";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const ORIGIN = "http://localhost:3000"; // defaultEngineConfig.appOrigin
const ctx = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

async function setup(options: { rateLimitScale?: number } = {}) {
  const logger = new MemoryLogger();
  const t = await makeEngine({}, options.rateLimitScale ?? 1000, logger);
  const [device] = await t.userWithDevices(1, EMAIL, PASSWORD);
  const userId = [...t.users.rows.values()][0]!.id;
  const claims = () => t.engine.authenticate(device!.accessToken);
  const authenticator = new SoftAuthenticator();
  /** Registers a passkey for the signed-in user: its credential id. */
  async function addPasskey(name = "Laptop") {
    const creation = await t.engine.passkeyRegistrationOptions(await claims(), {}, ctx);
    const response = authenticator.register(creation, { origin: ORIGIN });
    await t.engine.addPasskey(await claims(), { name, response }, ctx);
    return response.id;
  }
  async function signIn(ceremony: Partial<Parameters<SoftAuthenticator["authenticate"]>[1]> = {}) {
    const request = await t.engine.passkeySignInOptions(ctx);
    const response = authenticator.authenticate(request, { origin: ORIGIN, ...ceremony });
    return t.engine.signInWithPasskey({ response }, ctx);
  }
  return { ...t, logger, device: device!, userId, claims, authenticator, addPasskey, signIn };
}

describe("adding a passkey", () => {
  it("asks for a discoverable credential for this origin's host, and keeps only the challenge's hash for 5 minutes", async () => {
    const t = await setup();
    const options = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    expect(options.rp).toEqual({ id: "localhost", name: t.config.appName });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "preferred" });
    expect(options.user.name).toBe(EMAIL);
    const stored = [...t.challenges.rows.values()];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      tokenHash: sha256(options.challenge),
      purpose: "passkey_registration",
      userId: t.userId,
    });
    expect(JSON.stringify(stored)).not.toContain(options.challenge);
    expect(stored[0]!.expiresAt.getTime() - t.clock.now).toBe(PASSKEY_CHALLENGE_TTL_SECONDS * 1000);
  });

  it("stores the verified key under its trimmed name, lists it, records the event and mails the owner", async () => {
    const t = await setup();
    const id = await t.addPasskey("  Work laptop  ");
    const stored = t.signInMethods.passkeys.get(id)!;
    expect(stored).toMatchObject({ userId: t.userId, name: "Work laptop", counter: 0, transports: ["internal"] });
    expect(stored.publicKey.length).toBeGreaterThan(60); // a COSE P-256 key
    expect(await t.engine.listPasskeys(await t.claims())).toEqual([
      { id, name: "Work laptop", createdAt: new Date(t.clock.now).toISOString(), lastUsedAt: null },
    ]);
    expect(t.events.events.at(-1)).toMatchObject({ type: "passkey_added", userId: t.userId, ip: ctx.ip });
    await settle();
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({
      change: "passkey_added",
      detail: "Work laptop",
    });
    expect(t.challenges.rows.size).toBe(0); // used up
  });

  it("names a passkey after the device when no name is given, and refuses a name over 64 characters", async () => {
    const t = await setup();
    const id = await t.addPasskey("");
    expect(t.signInMethods.passkeys.get(id)!.name).toBe("Passkey on Firefox on Linux");
    const creation = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    const response = t.authenticator.register(creation, { origin: ORIGIN });
    const error = await failure(t.engine.addPasskey(await t.claims(), { name: "x".repeat(65), response }, ctx));
    expect(error.code).toBe("invalid_request");
    expect(error.details.fields?.name).toEqual(["Passkey name must be at most 64 characters."]);
  });

  it("excludes the credentials the account already has", async () => {
    const t = await setup();
    const id = await t.addPasskey();
    const options = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([id]);
  });

  it("refuses an answer from another origin (a phishing site), and the challenge is then used up", async () => {
    const t = await setup();
    const creation = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    const phished = t.authenticator.register(creation, { origin: "https://login.evil.example" });
    expect((await failure(t.engine.addPasskey(await t.claims(), { name: "x", response: phished }, ctx))).code).toBe(
      "invalid_grant",
    );
    const honest = t.authenticator.register(creation, { origin: ORIGIN });
    const error = await failure(t.engine.addPasskey(await t.claims(), { name: "x", response: honest }, ctx));
    expect(error.message).toMatch(/expired or was already used/);
    expect(t.signInMethods.passkeys.size).toBe(0);
  });

  it("refuses a reused or expired registration challenge", async () => {
    const t = await setup();
    const creation = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    const first = t.authenticator.register(creation, { origin: ORIGIN });
    await t.engine.addPasskey(await t.claims(), { name: "one", response: first }, ctx);
    const again = t.authenticator.register(creation, { origin: ORIGIN });
    expect((await failure(t.engine.addPasskey(await t.claims(), { name: "two", response: again }, ctx))).code).toBe(
      "invalid_grant",
    );

    const late = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    const claims = await t.claims();
    t.clock.now += (PASSKEY_CHALLENGE_TTL_SECONDS + 1) * 1000;
    const lateResponse = t.authenticator.register(late, { origin: ORIGIN });
    expect((await failure(t.engine.addPasskey(claims, { name: "late", response: lateResponse }, ctx))).code).toBe(
      "invalid_grant",
    );
    expect(t.signInMethods.passkeys.size).toBe(1);
  });

  it("refuses an answer to another user's registration challenge", async () => {
    const t = await setup();
    const ada = await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx);
    await t.engine.register({ email: "bob@example.com", password: PASSWORD });
    const bob = await t.engine.signIn({ email: "bob@example.com", password: PASSWORD }, ctx);
    const bobClaims = await t.engine.authenticate(bob.accessToken);
    const stolen = t.authenticator.register(ada, { origin: ORIGIN });
    expect((await failure(t.engine.addPasskey(bobClaims, { name: "stolen", response: stolen }, ctx))).code).toBe(
      "invalid_grant",
    );
    expect(t.signInMethods.passkeys.size).toBe(0);
  });

  it("needs a recent sign-in or the password to get registration options", async () => {
    const t = await setup();
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const claims = await t.engine.authenticate((await t.engine.refresh(t.device.refreshToken, ctx)).accessToken);
    expect((await failure(t.engine.passkeyRegistrationOptions(claims, {}, ctx))).code).toBe(
      "insufficient_user_authentication",
    );
    expect((await failure(t.engine.passkeyRegistrationOptions(claims, { password: "wrong" }, ctx))).code).toBe(
      "invalid_grant",
    );
    await expect(t.engine.passkeyRegistrationOptions(claims, { password: PASSWORD }, ctx)).resolves.toHaveProperty(
      "challenge",
    );
  });
});

describe("signing in with a passkey", () => {
  it("starts a device session like a password sign-in, marked passkey with amr hwk+user, and records the use", async () => {
    const t = await setup();
    const id = await t.addPasskey();
    t.clock.now += 60_000;
    const pair = await t.signIn();
    const claims = await t.engine.authenticate(pair.accessToken);
    expect(claims.sub).toBe(t.userId);
    expect(claims.amr).toEqual(["hwk", "user"]);
    expect(claims.auth_time).toBe(t.clock.now / 1000);
    const session = t.sessions.rows.get(pair.sessionId)!;
    expect(session).toMatchObject({ signInMethod: "passkey", amr: ["hwk", "user"] });
    expect(t.signInMethods.passkeys.get(id)).toMatchObject({ counter: 1, lastUsedAt: new Date(t.clock.now) });
    expect(t.events.events.at(-1)).toMatchObject({ type: "signed_in", sessionId: pair.sessionId });
    // The request options name no account: the credential is discoverable.
    expect((await t.engine.passkeySignInOptions(ctx)).allowCredentials ?? []).toEqual([]);
  });

  it("satisfies re-authentication: its auth_time is the passkey sign-in", async () => {
    const t = await setup();
    await t.addPasskey();
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const pair = await t.signIn();
    const claims = await t.engine.authenticate(pair.accessToken);
    await expect(t.engine.passkeyRegistrationOptions(claims, {}, ctx)).resolves.toHaveProperty("challenge");
  });

  it("refuses an assertion made for another origin", async () => {
    const t = await setup();
    await t.addPasskey();
    const error = await failure(t.signIn({ origin: "https://login.evil.example" }));
    expect(error.code).toBe("invalid_grant");
    expect(t.logger.lines.find((l) => l.event === "sign_in_failed")?.fields.reason).toBe("passkey_wrong_origin");
  });

  it("uses a challenge once, and not after 5 minutes", async () => {
    const t = await setup();
    await t.addPasskey();
    const request = await t.engine.passkeySignInOptions(ctx);
    await t.engine.signInWithPasskey({ response: t.authenticator.authenticate(request, { origin: ORIGIN }) }, ctx);
    const replay = t.authenticator.authenticate(request, { origin: ORIGIN });
    expect((await failure(t.engine.signInWithPasskey({ response: replay }, ctx))).message).toMatch(
      /expired or was already used/,
    );

    const late = await t.engine.passkeySignInOptions(ctx);
    t.clock.now += (PASSKEY_CHALLENGE_TTL_SECONDS + 1) * 1000;
    const lateAnswer = t.authenticator.authenticate(late, { origin: ORIGIN });
    expect((await failure(t.engine.signInWithPasskey({ response: lateAnswer }, ctx))).code).toBe("invalid_grant");
  });

  it("refuses a counter that goes backwards (a cloned authenticator) and logs it; a counter kept at zero is fine", async () => {
    const t = await setup();
    const id = await t.addPasskey();
    await t.signIn({ counter: 5 });
    const error = await failure(t.signIn({ counter: 3 }));
    expect(error.code).toBe("invalid_grant");
    expect(t.logger.lines.some((l) => l.event === "passkey_possible_clone")).toBe(true);
    expect(t.signInMethods.passkeys.get(id)!.counter).toBe(5);

    const zero = await setup();
    await zero.addPasskey();
    await zero.signIn({ counter: 0 });
    await expect(zero.signIn({ counter: 0 })).resolves.toHaveProperty("accessToken");
  });

  it("refuses an unknown or removed credential with a readable message", async () => {
    const t = await setup();
    const id = await t.addPasskey();
    const stranger = new SoftAuthenticator();
    stranger.register(await t.engine.passkeyRegistrationOptions(await t.claims(), {}, ctx), { origin: ORIGIN });
    const request = await t.engine.passkeySignInOptions(ctx);
    const unknown = stranger.authenticate(request, { origin: ORIGIN });
    expect((await failure(t.engine.signInWithPasskey({ response: unknown }, ctx))).message).toBe(
      "This passkey is not recognised. It may have been removed from its account.",
    );

    await t.engine.removePasskey(await t.claims(), id, {}, ctx);
    expect((await failure(t.signIn())).message).toMatch(/not recognised/);
  });

  it("requires user verification", async () => {
    const t = await setup();
    await t.addPasskey();
    expect((await failure(t.signIn({ userVerified: false }))).code).toBe("invalid_grant");
  });

  it("refuses a disabled account", async () => {
    const t = await setup();
    await t.addPasskey();
    await t.users.disable(t.userId, new Date(t.clock.now));
    expect((await failure(t.signIn())).message).toBe("This account is disabled.");
  });

  it("counts refused answers per address: over the budget even a genuine one is refused", async () => {
    const t = await setup({ rateLimitScale: 0.1 }); // passkeyFailuresPerIp: 3 per 5 minutes; signInPerIp: 3 a minute
    await t.addPasskey();
    // Options asked from other addresses (their own sign-in attempt budget), answered from ctx.ip.
    const options = (i: number) => t.engine.passkeySignInOptions({ ...ctx, ip: `198.51.100.${i}` });
    const genuine = await options(0);
    for (let i = 1; i <= 3; i++) {
      const phished = t.authenticator.authenticate(await options(i), { origin: "https://evil.example" });
      expect((await failure(t.engine.signInWithPasskey({ response: phished }, ctx))).code).toBe("invalid_grant");
    }
    const answer = t.authenticator.authenticate(genuine, { origin: ORIGIN });
    expect((await failure(t.engine.signInWithPasskey({ response: answer }, ctx))).code).toBe("rate_limited");
    expect((await failure(t.engine.passkeySignInOptions(ctx))).code).toBe("rate_limited");
    await expect(
      t.engine.signInWithPasskey(
        { response: t.authenticator.authenticate(await options(9), { origin: ORIGIN }) },
        { ...ctx, ip: "198.51.100.9" },
      ),
    ).resolves.toHaveProperty("accessToken");
  });

  it("counts sign-in options as sign-in attempts per address (each writes a challenge)", async () => {
    const t = await setup({ rateLimitScale: 0.1 }); // signInPerIp: 3 a minute
    const from = { ...ctx, ip: "198.51.100.50" }; // an address that has not signed in before
    for (let i = 0; i < 3; i++) await t.engine.passkeySignInOptions(from);
    expect((await failure(t.engine.passkeySignInOptions(from))).code).toBe("rate_limited");
    expect(t.challenges.rows.size).toBe(3);
    await expect(t.engine.passkeySignInOptions({ ...ctx, ip: "198.51.100.1" })).resolves.toHaveProperty("challenge");
  });

  it("of two answers with the same counter at once, one signs in", async () => {
    const t = await setup();
    await t.addPasskey();
    const [a, b] = [await t.engine.passkeySignInOptions(ctx), await t.engine.passkeySignInOptions(ctx)];
    const answers = [a, b].map((options) => t.authenticator.authenticate(options, { origin: ORIGIN, counter: 1 }));
    const results = await Promise.allSettled(answers.map((response) => t.engine.signInWithPasskey({ response }, ctx)));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });
});

describe("removing a passkey", () => {
  it("removes it after re-authentication, records the event and mails the owner", async () => {
    const t = await setup();
    const id = await t.addPasskey("Phone");
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const claims = await t.engine.authenticate((await t.engine.refresh(t.device.refreshToken, ctx)).accessToken);
    expect((await failure(t.engine.removePasskey(claims, id, {}, ctx))).code).toBe("insufficient_user_authentication");
    expect(t.signInMethods.passkeys.has(id)).toBe(true);
    await t.engine.removePasskey(claims, id, { password: PASSWORD }, ctx);
    expect(t.signInMethods.passkeys.has(id)).toBe(false);
    expect(t.events.events.at(-1)).toMatchObject({ type: "passkey_removed", userId: t.userId });
    await settle();
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({
      change: "passkey_removed",
      detail: "Phone",
    });
  });

  it("cannot remove another user's passkey", async () => {
    const t = await setup();
    const id = await t.addPasskey();
    await t.engine.register({ email: "bob@example.com", password: PASSWORD });
    const bob = await t.engine.signIn({ email: "bob@example.com", password: PASSWORD }, ctx);
    const error = await failure(t.engine.removePasskey(await t.engine.authenticate(bob.accessToken), id, {}, ctx));
    expect(error.code).toBe("not_found");
    expect(t.signInMethods.passkeys.has(id)).toBe(true);
  });

  it("keeps the last way into an account without a password", async () => {
    const t = await setup();
    const first = await t.addPasskey("one");
    const second = await t.addPasskey("two");
    t.users.rows.get(t.userId)!.passwordHash = null;
    await t.engine.removePasskey(await t.claims(), first, {}, ctx);
    const error = await failure(t.engine.removePasskey(await t.claims(), second, {}, ctx));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/only way into your account/);
    expect(t.signInMethods.passkeys.has(second)).toBe(true);
  });
});

describe("the activity", () => {
  it("describes an added and a removed passkey, and who did it", () => {
    const record = {
      id: "1",
      reason: null,
      sessionId: "s1",
      actorSessionId: "s1",
      device: "Firefox on Linux",
      actorDevice: "Firefox on Linux",
      ip: "203.0.113.7",
      newDevice: false,
      mailUnverified: false,
      createdAt: new Date(0),
    };
    expect(describeActivity({ ...record, type: "passkey_added" }, "s1")).toMatchObject({
      title: "Passkey added",
      actor: "you, from this device",
    });
    expect(describeActivity({ ...record, type: "passkey_removed" }, "s2")).toMatchObject({
      title: "Passkey removed",
      actor: "you, from Firefox on Linux",
    });
  });
});
