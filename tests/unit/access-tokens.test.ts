import { SignJWT, base64url } from "jose";
import { describe, expect, it } from "vitest";
import { AccessTokens, es256LowS } from "@/core/access-tokens";
import { AuthError } from "@/core/errors";
import { generateSigningKey, loadKeyRing } from "@/core/signing-keys";
import { signatureS, signatureTwin, P256_ORDER } from "../support/ecdsa-twin";
import { testConfig } from "../support/fakes";

const NOW = Date.UTC(2026, 0, 1, 12);

/** A session's token, as the engine asks for one. */
const ISSUE = {
  userId: "user-1",
  email: "ada@example.com",
  name: null,
  sessionId: "s".repeat(22),
  epoch: 3,
  emailVerified: false,
  authTimeMs: Date.UTC(2026, 0, 1),
  nowMs: NOW,
  notAfterMs: NOW + 86_400_000,
};

async function setup() {
  const jwk = await generateSigningKey("ES256");
  const ring = await loadKeyRing([jwk]);
  const tokens = new AccessTokens(ring, testConfig);
  const good = await tokens.issue(ISSUE);
  return { jwk, ring, tokens, good: good.token };
}

async function refused(tokens: AccessTokens, token: string, nowMs = NOW) {
  const error = await tokens.verify(token, nowMs).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe("invalid_token");
  return (error as AuthError).message;
}

/** A token with our claims, signed with any key and header: the attacker's toolbox (ES256 in low-s form). */
async function craft(
  key: Parameters<SignJWT["sign"]>[0],
  header: { alg: string } & Record<string, unknown>,
  claims: Record<string, unknown> = { sid: "x", sv: 0, email: "ada@example.com" },
  mutate = (jwt: SignJWT) => jwt,
) {
  const token = await mutate(
    new SignJWT(claims)
      .setProtectedHeader({ typ: "at+jwt", ...header })
      .setIssuer(testConfig.issuer)
      .setAudience(testConfig.audience)
      .setSubject("user-1")
      .setJti("j")
      .setIssuedAt(NOW / 1000)
      .setExpirationTime(NOW / 1000 + 60),
  ).sign(key);
  return header.alg === "ES256" ? es256LowS(token) : token;
}

function part(token: string, index: number, replace: (json: Record<string, unknown>) => Record<string, unknown>) {
  const parts = token.split(".");
  const json = JSON.parse(new TextDecoder().decode(base64url.decode(parts[index]!)));
  parts[index] = base64url.encode(JSON.stringify(replace(json)));
  return parts.join(".");
}

describe("access tokens", () => {
  it("round-trips the claims of a valid token", async () => {
    const { tokens, good } = await setup();
    await expect(tokens.verify(good, NOW)).resolves.toMatchObject({
      sub: "user-1",
      sid: "s".repeat(22),
      sv: 3,
      exp: NOW / 1000 + 300,
    });
  });

  it("never outlives the session's absolute expiry", async () => {
    const { tokens } = await setup();
    const short = await tokens.issue({
      userId: "u",
      email: "u@example.com",
      name: "U",
      sessionId: "s",
      epoch: 0,
      emailVerified: false,
      authTimeMs: 0,
      nowMs: NOW,
      notAfterMs: NOW + 60_000,
    });
    expect(short.expiresIn).toBe(60);
  });

  it("refuses alg none, HS256 signed with the public key, and a stripped signature", async () => {
    const { tokens, good, ring } = await setup();
    const none =
      part(good, 0, (h) => ({ ...h, alg: "none" }))
        .split(".")
        .slice(0, 2)
        .join(".") + ".";
    await refused(tokens, none);
    const publicJwk = ring.publicJwks.keys[0]!;
    const hmacKey = new TextEncoder().encode(JSON.stringify(publicJwk));
    const confused = await craft(hmacKey, { alg: "HS256", kid: publicJwk.kid }, { sid: "x", sv: 99 });
    await refused(tokens, confused);
    await refused(tokens, good.split(".").slice(0, 2).join(".") + ".");
  });

  it("refuses tampered payloads and signatures, unknown kids and foreign keys", async () => {
    const { tokens, good } = await setup();
    await refused(
      tokens,
      part(good, 1, (p) => ({ ...p, sv: 99 })),
    );
    await refused(tokens, good.slice(0, -3) + (good.endsWith("A") ? "BBB" : "AAA"));
    await refused(
      tokens,
      part(good, 0, (h) => ({ ...h, kid: "../../etc/passwd' OR 1=1" })),
    );
    const other = await setup();
    await refused(tokens, other.good);
  });

  it("issues only low-s ES256 signatures and refuses each one's high-s twin (one signature per token)", async () => {
    const { tokens } = await setup();
    for (let i = 0; i < 16; i++) {
      const { token } = await tokens.issue(ISSUE);
      expect(signatureS(token) <= P256_ORDER / 2n, "issued with a low s").toBe(true);
      await expect(tokens.verify(token, NOW)).resolves.toMatchObject({ sid: "s".repeat(22) });
      await refused(tokens, signatureTwin(token));
      await expect(tokens.verifyAllowingExpiry(signatureTwin(token), NOW)).rejects.toBeInstanceOf(AuthError);
    }
  });

  it("never follows jku, x5u or an embedded jwk", async () => {
    const { tokens } = await setup();
    const attacker = await generateSigningKey("ES256");
    const attackerRing = await loadKeyRing([attacker]);
    const forged = await craft(attackerRing.signing.key, {
      alg: "ES256",
      kid: attacker.kid,
      jku: "http://127.0.0.1:1/jwks.json",
      jwk: attackerRing.publicJwks.keys[0],
    });
    await refused(tokens, forged);
  });

  it("checks iss, aud, typ, exp, nbf and required claims", async () => {
    const { tokens, ring } = await setup();
    const sign = (
      mutate: (jwt: SignJWT) => SignJWT,
      typ = "at+jwt",
      claims: Record<string, unknown> = { sid: "s", sv: 0, email: "ada@example.com" },
    ) => craft(ring.signing.key, { alg: "ES256", kid: ring.signing.kid, typ }, claims, mutate);
    await refused(tokens, await sign((j) => j.setIssuer("https://evil.test")));
    await refused(tokens, await sign((j) => j.setAudience("another-api")));
    await refused(tokens, await sign((j) => j, "JWT"));
    await refused(tokens, await sign((j) => j.setNotBefore(NOW / 1000 + 3600)));
    expect(await refused(tokens, await sign((j) => j), NOW + 120_000)).toMatch(/expired/);
    await expect(tokens.verify(await sign((j) => j), NOW)).resolves.toBeTruthy(); // the control case
    await refused(tokens, await sign((j) => j, "at+jwt", { sid: "s", email: "ada@example.com" }));
    await refused(tokens, await sign((j) => j, "at+jwt", { sid: "s", sv: "0", email: "ada@example.com" }));
    await refused(tokens, await sign((j) => j, "at+jwt", { sid: "s", sv: -1, email: "ada@example.com" }));
  });

  it("refuses garbage without throwing anything but invalid_token", async () => {
    const { tokens } = await setup();
    for (const junk of [
      "",
      "a",
      "a.b",
      "a.b.c",
      "!!!.@@@.###",
      "eyJ.eyJ.sig",
      "x".repeat(9000),
      `${"a".repeat(3000)}.${"b".repeat(3000)}.${"c".repeat(3000)}`,
    ]) {
      await refused(tokens, junk);
    }
  });
});

describe("identity claims", () => {
  it("carry email and name so who is signed in needs no database read, and are required", async () => {
    const { tokens, ring } = await setup();
    const named = await tokens.issue({
      userId: "u",
      email: "ada@example.com",
      name: "Ada",
      sessionId: "s",
      epoch: 0,
      emailVerified: false,
      authTimeMs: 0,
      nowMs: NOW,
      notAfterMs: NOW + 3_600_000,
    });
    await expect(tokens.verify(named.token, NOW)).resolves.toMatchObject({ email: "ada@example.com", name: "Ada" });
    await refused(tokens, await craft(ring.signing.key, { alg: "ES256", kid: ring.signing.kid }, { sid: "s", sv: 0 }));
    await refused(
      tokens,
      await craft(
        ring.signing.key,
        { alg: "ES256", kid: ring.signing.kid },
        { sid: "s", sv: 0, email: "a@b.c", name: 42 },
      ),
    );
  });
});

describe("how the holder signed in", () => {
  it("carries amr and two_factor, and refuses them in any other shape", async () => {
    const { tokens, ring } = await setup();
    const issued = await tokens.issue({ ...ISSUE, amr: ["pwd", "otp", "mfa"], twoFactor: true });
    await expect(tokens.verify(issued.token, NOW)).resolves.toMatchObject({
      amr: ["pwd", "otp", "mfa"],
      two_factor: true,
    });
    const claims = { sid: "s", sv: 0, email: "a@b.c" };
    const header = { alg: "ES256", kid: ring.signing.kid };
    await refused(tokens, await craft(ring.signing.key, header, { ...claims, amr: "pwd" }));
    await refused(tokens, await craft(ring.signing.key, header, { ...claims, amr: ["pwd", 1] }));
    await refused(tokens, await craft(ring.signing.key, header, { ...claims, two_factor: "yes" }));
  });

  it("reads a token issued before the claims existed as no methods and no second factor", async () => {
    const { tokens, ring } = await setup();
    const old = await craft(
      ring.signing.key,
      { alg: "ES256", kid: ring.signing.kid },
      { sid: "s", sv: 0, email: "a@b.c" },
    );
    await expect(tokens.verify(old, NOW)).resolves.toMatchObject({ amr: [], two_factor: false });
  });
});
