import { describe, expect, it } from "vitest";
import { AuthError } from "@/core/errors";
import { createClientVerifier, createIntrospection, type IntrospectionClient } from "@/core/introspection";
import { introspectionResponse, introspectionResponseSchema } from "@/server/http/oauth-schemas";
import { makeEngine } from "../support/fakes";

const ORDERS: IntrospectionClient = { id: "orders", secret: "orders-secret-0123456789" };
const BILLING: IntrospectionClient = { id: "billing", secret: "billing-secret-0123456789" };

describe("client secrets", () => {
  const verify = createClientVerifier([ORDERS, BILLING]);

  it("accepts each client with its own secret only", () => {
    expect(verify({ clientId: "orders", clientSecret: ORDERS.secret })).toBe(true);
    expect(verify({ clientId: "billing", clientSecret: BILLING.secret })).toBe(true);
    expect(verify({ clientId: "orders", clientSecret: BILLING.secret })).toBe(false);
  });

  it.each([
    ["a wrong secret", "orders", "orders-secret-0123456780"],
    ["a prefix of the secret", "orders", ORDERS.secret.slice(0, -1)],
    ["the secret plus a character", "orders", `${ORDERS.secret}x`],
    ["an empty secret", "orders", ""],
    ["an unknown client with a real secret", "shipping", ORDERS.secret],
    ["the id in another letter case", "ORDERS", ORDERS.secret],
  ])("refuses %s", (_label, clientId, clientSecret) => {
    expect(verify({ clientId, clientSecret })).toBe(false);
  });

  it("with no clients configured, refuses everyone", () => {
    expect(createClientVerifier([])({ clientId: "orders", clientSecret: ORDERS.secret })).toBe(false);
  });
});

async function setup(rateLimitScale = 1000) {
  const made = await makeEngine({}, rateLimitScale);
  const introspection = createIntrospection({
    ...made.deps,
    clients: [ORDERS],
    authenticate: made.engine.authenticate,
  });
  return { ...made, introspection };
}

describe("client authentication", () => {
  it("tells who is asking, and refuses missing or wrong credentials", async () => {
    const { introspection } = await setup();
    await expect(
      introspection.authenticateClient({ clientId: "orders", clientSecret: ORDERS.secret }, "198.51.100.1"),
    ).resolves.toEqual({ ok: true, clientId: "orders" });
    await expect(introspection.authenticateClient(null, "198.51.100.1")).resolves.toMatchObject({
      ok: false,
      description: expect.stringMatching(/required/),
    });
    await expect(
      introspection.authenticateClient(
        { clientId: "orders", clientSecret: "wrong-secret-wrong-secret" },
        "198.51.100.1",
      ),
    ).resolves.toMatchObject({ ok: false });
  });

  it("an address that guessed wrong 20 times is refused, even with the right secret; other addresses are not", async () => {
    const { introspection } = await setup(1);
    const wrong = { clientId: "orders", clientSecret: "guess-guess-guess-guess" };
    for (let i = 0; i < 20; i++)
      await expect(introspection.authenticateClient(wrong, "203.0.113.9")).resolves.toMatchObject({ ok: false });

    const blocked = await introspection
      .authenticateClient({ clientId: "orders", clientSecret: ORDERS.secret }, "203.0.113.9")
      .catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(AuthError);
    expect(blocked).toMatchObject({ code: "rate_limited", details: { retryAfterSeconds: expect.any(Number) } });
    await expect(
      introspection.authenticateClient({ clientId: "orders", clientSecret: ORDERS.secret }, "203.0.113.10"),
    ).resolves.toMatchObject({ ok: true });
  });

  it("successful calls are not counted", async () => {
    const { introspection } = await setup(1);
    for (let i = 0; i < 50; i++) {
      await expect(
        introspection.authenticateClient({ clientId: "orders", clientSecret: ORDERS.secret }, "203.0.113.9"),
      ).resolves.toMatchObject({ ok: true });
    }
  });
});

describe("what is active", () => {
  it("a live access token is active with its session's claims", async () => {
    const { introspection, userWithDevices } = await setup();
    const [device] = await userWithDevices(1);
    await expect(introspection.activeClaims(device!.accessToken)).resolves.toMatchObject({
      sid: device!.sessionId,
      sub: expect.any(String),
    });
  });

  it("revoked, signed out everywhere, expired, refresh tokens and garbage are not", async () => {
    const { engine, introspection, userWithDevices, clock, config } = await setup();
    const [a, b, c] = await userWithDevices(3);
    await engine.revokeSession(await engine.authenticate(c!.accessToken), a!.sessionId);
    expect(await introspection.activeClaims(a!.accessToken)).toBeNull();
    expect(await introspection.activeClaims(b!.refreshToken)).toBeNull();
    expect(await introspection.activeClaims("not-a-token")).toBeNull();
    expect(await introspection.activeClaims(`${b!.accessToken.slice(0, -4)}AAAA`)).toBeNull();
    expect(await introspection.activeClaims(b!.accessToken)).not.toBeNull();

    await engine.logout(await engine.authenticate(c!.accessToken), "global");
    expect(await introspection.activeClaims(b!.accessToken)).toBeNull();
    expect(await introspection.activeClaims(c!.accessToken)).toBeNull();

    const [d] = await userWithDevices(1, "bob@example.com");
    clock.now += (config.accessTokenTtlSeconds + config.clockToleranceSeconds + 1) * 1000;
    expect(await introspection.activeClaims(d!.accessToken)).toBeNull();
  });

  it("when neither the store nor the database can answer, it fails with temporarily_unavailable, never active", async () => {
    const { introspection, userWithDevices, store, sessions } = await setup();
    const [device] = await userWithDevices(1);
    store.mode = "down";
    sessions.down = true;
    await expect(introspection.activeClaims(device!.accessToken)).rejects.toMatchObject({
      code: "temporarily_unavailable",
    });
    store.mode = "unsure";
    sessions.down = false;
    await expect(introspection.activeClaims(device!.accessToken)).resolves.not.toBeNull();
  });
});

describe("the RFC 7662 answer", () => {
  const config = { issuer: "https://issuer.test", audience: "api.test" };
  const claims = {
    sub: "user-1",
    sid: "s".repeat(22),
    sv: 3,
    email: "ada@example.com",
    name: "Ada",
    jti: "j",
    email_verified: false,
    amr: ["pwd"],
    two_factor: false,
    auth_time: 0,
    iat: 1_800_000_000,
    exp: 1_800_000_300,
  };

  it("active: exactly the agreed fields, no email, name, epoch or jti", () => {
    const answer = introspectionResponse(claims, config);
    expect(answer).toEqual({
      active: true,
      sub: "user-1",
      sid: claims.sid,
      exp: claims.exp,
      iat: claims.iat,
      iss: config.issuer,
      aud: config.audience,
      token_type: "Bearer",
    });
    expect(introspectionResponseSchema.parse(answer)).toEqual(answer);
  });

  it("inactive: nothing but active:false", () => {
    expect(introspectionResponse(null, config)).toEqual({ active: false });
    expect(introspectionResponseSchema.safeParse({ active: false }).success).toBe(true);
    expect(introspectionResponseSchema.safeParse({ active: true, sub: "x" }).success).toBe(false);
  });
});
