import { ClientSecretBasic, type AuthorizationServer } from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import { basicCredentials, invalidClient } from "@/server/http/client-auth";
import { authorizationServerMetadata, authorizationServerMetadataSchema } from "@/server/http/oauth-schemas";

/** The Authorization header a real OAuth client library (oauth4webapi) sends for these credentials. */
async function headerFromLibrary(clientId: string, clientSecret: string): Promise<Headers> {
  const headers = new Headers();
  const as: AuthorizationServer = { issuer: "https://issuer.test" };
  await ClientSecretBasic(clientSecret)(as, { client_id: clientId }, new URLSearchParams(), headers);
  return headers;
}

describe("HTTP Basic client credentials (RFC 6749 §2.3.1)", () => {
  it.each([
    ["plain", "orders", "orders-secret-0123456789"],
    // The library form-urlencodes both halves before base64: ":", "+", "%", "~" and "-" must come back intact.
    ["special characters", "orders.v2_~-", "s3cr:t+with%sp~cial-chars!*'()"],
    ["non-ASCII", "caf\u00e9", "m\u00f6tley-cr\u00fce-secret-1234"],
    ["a space (sent as '+')", "orders", "with space inside-0123"],
  ])("reads what oauth4webapi sends (%s)", async (_label, clientId, clientSecret) => {
    expect(basicCredentials(await headerFromLibrary(clientId, clientSecret))).toEqual({ clientId, clientSecret });
  });

  it("accepts the scheme name in any letter case", () => {
    const value = Buffer.from("orders:secret-secret-secret").toString("base64");
    expect(basicCredentials(new Headers({ authorization: `basic ${value}` }))).toEqual({
      clientId: "orders",
      clientSecret: "secret-secret-secret",
    });
  });

  it.each([
    ["no header", undefined],
    ["a Bearer token", "Bearer abc.def.ghi"],
    ["Basic without credentials", "Basic "],
    ["not base64", "Basic !!!notbase64!!!"],
    ["no colon", `Basic ${Buffer.from("orders").toString("base64")}`],
    ["an empty id", `Basic ${Buffer.from(":secret").toString("base64")}`],
    ["an empty secret", `Basic ${Buffer.from("orders:").toString("base64")}`],
    ["a broken percent-escape", `Basic ${Buffer.from("orders:abc%zz").toString("base64")}`],
  ])("reads no credentials from %s", (_label, value) => {
    const headers = new Headers(value === undefined ? {} : { authorization: value });
    expect(basicCredentials(headers)).toBeNull();
  });

  it("a refusal is 401 invalid_client with a Basic challenge, JSON and no-store", async () => {
    const res = invalidClient("Unknown client or wrong client secret.");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="introspection"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      error: "invalid_client",
      error_description: "Unknown client or wrong client secret.",
    });
  });
});

describe("INTROSPECTION_CLIENTS", () => {
  const secret = "a-long-enough-secret-42";

  it("unset or empty: no clients", () => {
    expect(parseEnv({}).INTROSPECTION_CLIENTS).toEqual([]);
    expect(parseEnv({ INTROSPECTION_CLIENTS: " " }).INTROSPECTION_CLIENTS).toEqual([]);
  });

  it("reads id:secret pairs; a secret may contain ':'", () => {
    expect(
      parseEnv({ INTROSPECTION_CLIENTS: ` orders:${secret} , billing:${secret}:x ` }).INTROSPECTION_CLIENTS,
    ).toEqual([
      { id: "orders", secret },
      { id: "billing", secret: `${secret}:x` },
    ]);
  });

  it.each([
    ["a short secret", "orders:short-secret", /entry 1 \("orders"\): the secret must be 16-256/],
    ["no secret at all", "orders", /entry 1: expected id:secret/],
    ["a space in the secret", `orders:${secret} more`, /the secret must be/],
    ["a bad id", `or ders:${secret}`, /the client id must be/],
    ["a duplicate id", `orders:${secret},orders:${secret}x`, /"orders" appears twice/],
  ])("stops the boot with a clear message for %s, naming the variable, never the secret", (_label, value, message) => {
    let error: unknown;
    try {
      parseEnv({ INTROSPECTION_CLIENTS: value });
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/INTROSPECTION_CLIENTS/);
    expect(String(error)).toMatch(message);
    expect(String(error)).not.toContain("short-secret");
    expect(String(error)).not.toContain(secret);
  });
});

describe("RFC 8414 metadata", () => {
  it("absolute endpoints under the app's URL, the tokens' issuer, and what each endpoint accepts", () => {
    const metadata = authorizationServerMetadata("https://issuer.example", "https://app.example/");
    expect(authorizationServerMetadataSchema.parse(metadata)).toEqual(metadata);
    expect(metadata).toMatchObject({
      issuer: "https://issuer.example",
      token_endpoint: "https://app.example/api/auth/token",
      introspection_endpoint: "https://app.example/api/auth/introspect",
      jwks_uri: "https://app.example/.well-known/jwks.json",
      introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    });
  });
});
