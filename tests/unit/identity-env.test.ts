/**
 * The identity providers of the environment (src/server/env-identity.ts) and what the sign-in page,
 * the devices list and next-auth make of them; and the link intent cookie's integrity.
 */
import { describe, expect, it } from "vitest";
import { signInMethodLabel } from "@/app/(app)/devices/sign-in-method";
import { messagesFor } from "@/i18n/catalogues";
import { decodeLinkIntent, encodeLinkIntent } from "@/server/auth/link-intent";
import { configuredIdentityProviders, identityProviders, toExternalIdentity } from "@/server/auth/providers/oidc";
import { parseEnv } from "@/server/env";

const OIDC = {
  OIDC_ISSUER: "https://sso.example.com/realms/acme/",
  OIDC_CLIENT_ID: "app",
  OIDC_CLIENT_SECRET: "s3cret",
  OIDC_DISPLAY_NAME: "Acme SSO",
};

describe("identity providers in the environment", () => {
  it("none configured is fine; all four OIDC_* configure one (the issuer without its trailing slash)", () => {
    expect(parseEnv({}).OIDC_ISSUER).toBeUndefined();
    const env = parseEnv(OIDC);
    expect(env.OIDC_ISSUER).toBe("https://sso.example.com/realms/acme");
    expect(env.OIDC_DISPLAY_NAME).toBe("Acme SSO");
  });

  it("a half-configured provider stops the boot, naming each missing variable and never a secret", () => {
    const { OIDC_CLIENT_SECRET: _secret, OIDC_DISPLAY_NAME: _name, ...partial } = OIDC;
    expect(() => parseEnv(partial)).toThrow(/OIDC_CLIENT_SECRET: is required when OIDC_ISSUER, OIDC_CLIENT_ID are set/);
    expect(() => parseEnv(partial)).toThrow(/OIDC_DISPLAY_NAME: is required/);
    expect(() => parseEnv({ GITHUB_SECRET: "gh-secret-value" })).toThrow(
      /GITHUB_ID: is required when GITHUB_SECRET is set/,
    );
    expect(() => parseEnv({ GITHUB_SECRET: "gh-secret-value" })).not.toThrow(/gh-secret-value/);
    expect(() => parseEnv({ ...OIDC, OIDC_ISSUER: "sso.example.com" })).toThrow(/OIDC_ISSUER: must be an http/);
  });
});

describe("the providers next-auth gets", () => {
  it("none by default; OIDC with discovery, PKCE, state and nonce; GitHub with PKCE and state", () => {
    expect(identityProviders(parseEnv({}))).toEqual([]);
    const env = parseEnv({ ...OIDC, GITHUB_ID: "gh-id", GITHUB_SECRET: "gh-secret" });
    const [oidc, github] = identityProviders(env) as unknown as Record<string, unknown>[];
    expect(oidc).toMatchObject({
      id: "oidc",
      name: "Acme SSO",
      type: "oauth",
      wellKnown: "https://sso.example.com/realms/acme/.well-known/openid-configuration",
      idToken: true,
      checks: ["pkce", "state", "nonce"],
    });
    expect(github).toMatchObject({ id: "github", checks: ["pkce", "state"] });
    expect(configuredIdentityProviders(env)).toEqual([
      { id: "oidc", name: "Acme SSO" },
      { id: "github", name: "GitHub" },
    ]);
  });

  it("reads the identity from the provider's claims: email verified only when it says so", () => {
    const env = parseEnv(OIDC);
    const account = { provider: "oidc", providerAccountId: "sub-1" };
    expect(toExternalIdentity(env, account, { email: " a@b.example ", email_verified: true, name: "A" })).toEqual({
      provider: "oidc",
      providerName: "Acme SSO",
      subject: "sub-1",
      email: "a@b.example",
      emailVerified: true,
      name: "A",
    });
    expect(toExternalIdentity(env, account, { email: "a@b.example", email_verified: "true" }).emailVerified).toBe(true);
    expect(toExternalIdentity(env, account, { email: "a@b.example" }).emailVerified).toBe(false);
    expect(toExternalIdentity(env, account, { email: "a@b.example", email_verified: "yes" }).emailVerified).toBe(false);
    expect(toExternalIdentity(env, { provider: "github", providerAccountId: "42" }, { login: "octo" })).toMatchObject({
      providerName: "github", // not configured here: its id
      email: null,
      name: "octo",
    });
  });
});

describe("how a device signed in, in words", () => {
  const names = { oidc: "Acme SSO" };
  const words = messagesFor("en").devices.method;
  it("names the password (and a second factor), a passkey, and a provider by its display name", () => {
    expect(signInMethodLabel({ signInMethod: "password", amr: ["pwd"] }, names, words)).toBe("Password");
    expect(signInMethodLabel({ signInMethod: "password", amr: ["pwd", "otp", "mfa"] }, names, words)).toBe(
      "Password + code",
    );
    expect(signInMethodLabel({ signInMethod: "passkey", amr: ["hwk", "user"] }, names, words)).toBe("Passkey");
    expect(signInMethodLabel({ signInMethod: "oidc", amr: ["fed"] }, names, words)).toBe("Acme SSO");
    expect(signInMethodLabel({ signInMethod: "github", amr: ["fed"] }, names, words)).toBe("github");
    expect(signInMethodLabel({ signInMethod: "toString", amr: ["fed"] }, names, words)).toBe("toString");
  });
});

describe("the link intent cookie", () => {
  const secret = "a-test-secret-a-test-secret-a-test-secret";
  const intent = { sessionId: "s1", provider: "oidc", reauthenticatedAtMs: 1_000, expiresAtMs: 10_000 };

  it("reads back what it wrote, until it expires", () => {
    const value = encodeLinkIntent(intent, secret);
    expect(decodeLinkIntent(value, secret, 5_000)).toEqual(intent);
    expect(decodeLinkIntent(value, secret, 10_000)).toBeNull();
  });

  it("refuses one signed with another secret, or altered (another session, later expiry)", () => {
    const value = encodeLinkIntent(intent, secret);
    expect(decodeLinkIntent(value, "another-secret-another-secret-another", 5_000)).toBeNull();
    const parts = value.split(".");
    parts[0] = Buffer.from("s2").toString("base64url");
    expect(decodeLinkIntent(parts.join("."), secret, 5_000)).toBeNull();
    const forged = encodeLinkIntent({ ...intent, expiresAtMs: 99_999 }, "wrong-secret-wrong-secret-wrong-secret");
    expect(decodeLinkIntent(forged, secret, 5_000)).toBeNull();
    expect(decodeLinkIntent("garbage", secret, 5_000)).toBeNull();
    expect(decodeLinkIntent(undefined, secret, 5_000)).toBeNull();
  });
});
