/**
 * RFC 7662 introspection and RFC 8414 metadata, driven by a real OAuth client library
 * (oauth4webapi): it discovers the endpoints, signs in with the password grant, refreshes,
 * revokes and introspects as any standard client or resource server would. "Active" must mean
 * exactly what the API itself accepts, on the very next call after any revocation.
 */
import { importJWK, SignJWT, decodeJwt, generateKeyPair, type JWK } from "jose";
import { es256LowS } from "../../src/core/access-tokens";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { testSecrets } from "../../scripts/lib/keys";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

const ISSUER = "http://revocable.test"; // JWT_ISSUER of every test app
const AUDIENCE = "revocable-sessions-api";
const PASSWORD = "correct horse battery";
/** RFC 6749 §2.3.1 form-urlencodes id and secret before base64: characters that change under that encoding. */
const ORDERS = { id: "orders-service", secret: "s3cr:t+with%sp~cial-chars!*'()" };
const BILLING = { id: "billing.v2", secret: "billing-secret-0123456789abcdef" };

let testApp: TestApp;
let api: Api;
let as: oauth.AuthorizationServer;
let signingKey: JWK & { kid: string };
const http = { [oauth.allowInsecureRequests]: true } as const;
/** A mobile app: a public client, as the token and revocation endpoints expect. */
const mobileApp: oauth.Client = { client_id: "mobile-app" };
const orders: oauth.Client = { client_id: ORDERS.id };

beforeAll(async () => {
  const secrets = await testSecrets();
  signingKey = (JSON.parse(secrets.JWT_SIGNING_KEYS!) as { keys: (JWK & { kid: string })[] }).keys[0]!;
  testApp = await startTestApp("introspect", {
    ...secrets,
    INTROSPECTION_CLIENTS: `${ORDERS.id}:${ORDERS.secret},${BILLING.id}:${BILLING.secret}`,
  });
  api = new Api(testApp.app.url);

  // The issuer is a public name (http://revocable.test) while the app listens on 127.0.0.1, as
  // behind a load balancer: discovery fetches the issuer's well-known URL from the app itself.
  const issuer = new URL(ISSUER);
  const toApp: typeof fetch = (url, init) => fetch(String(url).replace(ISSUER, testApp.app.url), init);
  const response = await oauth.discoveryRequest(issuer, { algorithm: "oauth2", [oauth.customFetch]: toApp, ...http });
  as = await oauth.processDiscoveryResponse(issuer, response);
});

afterAll(async () => {
  await testApp?.stop();
});

async function passwordGrant(email: string) {
  const response = await oauth.genericTokenEndpointRequest(
    as,
    mobileApp,
    oauth.None(),
    "password",
    { username: email, password: PASSWORD },
    http,
  );
  return oauth.processGenericTokenEndpointResponse(as, mobileApp, response);
}

async function newUser(): Promise<{ email: string; id: string }> {
  const email = uniqueEmail("introspect");
  const res = await api.register(email, PASSWORD);
  expect(res.status).toBe(201);
  return { email, id: res.body.user.id };
}

async function introspect(
  token: string,
  client = orders,
  secret = ORDERS.secret,
): Promise<oauth.IntrospectionResponse> {
  const response = await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(secret), token, http);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return oauth.processIntrospectionResponse(as, client, response);
}

function rawIntrospect(headers: Record<string, string>, body: string, method = "POST"): Promise<Response> {
  return fetch(`${testApp.app.url}/api/auth/introspect`, {
    method,
    headers,
    body: method === "GET" ? undefined : body,
  });
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

describe("RFC 8414 metadata", () => {
  it("names the issuer of the tokens and the app's endpoints", () => {
    expect(as).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${testApp.app.url}/api/auth/token`,
      revocation_endpoint: `${testApp.app.url}/api/auth/revoke`,
      introspection_endpoint: `${testApp.app.url}/api/auth/introspect`,
      jwks_uri: `${testApp.app.url}/.well-known/jwks.json`,
      grant_types_supported: ["password", "refresh_token"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    });
  });
});

describe("an access token's life, seen through introspection", () => {
  it("sign in, refresh and revoke with oauth4webapi: active with the right claims until revoked, inactive on the next call", async () => {
    const user = await newUser();
    const signedIn = await passwordGrant(user.email);
    const claims = decodeJwt(signedIn.access_token);

    expect(await introspect(signedIn.access_token)).toEqual({
      active: true,
      sub: user.id,
      sid: signedIn.session_id,
      exp: claims.exp,
      iat: claims.iat,
      iss: ISSUER,
      aud: AUDIENCE,
      token_type: "Bearer",
    });
    expect(claims.exp! - claims.iat!).toBe(300);

    const refreshResponse = await oauth.refreshTokenGrantRequest(
      as,
      mobileApp,
      oauth.None(),
      signedIn.refresh_token!,
      http,
    );
    const refreshed = await oauth.processRefreshTokenResponse(as, mobileApp, refreshResponse);
    expect(refreshed.access_token).not.toBe(signedIn.access_token);
    expect(await introspect(refreshed.access_token)).toMatchObject({
      active: true,
      sub: user.id,
      sid: signedIn.session_id,
      iat: decodeJwt(refreshed.access_token).iat,
    });
    // A refresh token is never active: it is not something a resource server may accept.
    expect(await introspect(refreshed.refresh_token!)).toEqual({ active: false });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, mobileApp, oauth.None(), refreshed.refresh_token!, http),
    );

    expect(await introspect(refreshed.access_token)).toEqual({ active: false });
    expect(await introspect(signedIn.access_token)).toEqual({ active: false });
    expect((await api.me(refreshed.access_token)).status).toBe(401); // the same verdict as the API's
  });

  it("logging out one device makes only that device's token inactive", async () => {
    const user = await newUser();
    const phone = await api.device(user.email, PASSWORD);
    const laptop = await api.device(user.email, PASSWORD);
    expect((await api.logout(phone.access_token)).status).toBe(204);
    expect(await introspect(phone.access_token)).toEqual({ active: false });
    expect(await introspect(laptop.access_token)).toMatchObject({ active: true, sid: laptop.session_id });
  });

  it("log out everywhere and a password change make every earlier token inactive", async () => {
    const user = await newUser();
    const [a, b] = [await api.device(user.email, PASSWORD), await api.device(user.email, PASSWORD)];
    expect((await api.logout(a.access_token, "global")).status).toBe(204);
    expect(await introspect(a.access_token)).toEqual({ active: false });
    expect(await introspect(b.access_token)).toEqual({ active: false });

    const [c, d] = [await api.device(user.email, PASSWORD), await api.device(user.email, PASSWORD)];
    const changed = await api.changePassword(c.access_token, PASSWORD, "a brand new password");
    expect(changed.status).toBe(200);
    expect(await introspect(c.access_token)).toEqual({ active: false });
    expect(await introspect(d.access_token)).toEqual({ active: false });
    // The device that changed it stays signed in with its fresh token.
    expect(await introspect(changed.body.access_token, { client_id: BILLING.id }, BILLING.secret)).toMatchObject({
      active: true,
      sid: c.session_id,
    });
  });

  it("garbage, forged and expired tokens are inactive; a perfectly signed live one (the control) is active", async () => {
    const user = await newUser();
    const device = await api.device(user.email, PASSWORD);
    const live = decodeJwt(device.access_token);
    const now = Math.floor(Date.now() / 1000);
    const sign = async (key: Parameters<SignJWT["sign"]>[0], kid: string, times: { iat: number; exp: number }) =>
      new SignJWT({ sid: live.sid, sv: live.sv, email: live.email })
        .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(user.id)
        .setJti("forged-jti")
        .setIssuedAt(times.iat)
        .setExpirationTime(times.exp)
        .sign(key)
        .then(es256LowS); // the form the app issues: it refuses the high-s twin
    const realKey = await importJWK(signingKey, "ES256");
    const attacker = await generateKeyPair("ES256");

    expect(await introspect(await sign(realKey, signingKey.kid, { iat: now, exp: now + 60 }))).toMatchObject({
      active: true,
      sid: device.session_id,
    });
    expect(await introspect(await sign(realKey, signingKey.kid, { iat: now - 400, exp: now - 60 }))).toEqual({
      active: false,
    });
    expect(await introspect(await sign(attacker.privateKey, signingKey.kid, { iat: now, exp: now + 60 }))).toEqual({
      active: false,
    });
    for (const garbage of ["garbage", "a.b.c", `${device.access_token}x`, "x".repeat(10_000), device.refresh_token]) {
      expect(await introspect(garbage)).toEqual({ active: false });
    }
    // token_type_hint is a hint: a wrong or unknown one changes nothing.
    for (const hint of ["refresh_token", "something-else"]) {
      const response = await oauth.introspectionRequest(
        as,
        orders,
        oauth.ClientSecretBasic(ORDERS.secret),
        device.access_token,
        { ...http, additionalParameters: { token_type_hint: hint } },
      );
      expect(await oauth.processIntrospectionResponse(as, orders, response)).toMatchObject({ active: true });
    }
  });
});

describe("who may introspect", () => {
  it.each([
    ["a wrong secret", () => introspect("any-token", orders, `${ORDERS.secret}x`)],
    ["an unknown client", () => introspect("any-token", { client_id: "unknown-service" }, ORDERS.secret)],
    ["another client's secret", () => introspect("any-token", orders, BILLING.secret)],
  ])("%s: oauth4webapi rejects the 401 Basic challenge", async (_label, call) => {
    const error = await call().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect(error).toMatchObject({ status: 401, cause: [{ scheme: "basic", parameters: { realm: "introspection" } }] });
  });

  it.each([
    ["no Authorization header", {}],
    ["a Bearer token instead of client credentials", { authorization: "Bearer abc.def.ghi" }],
    ["a wrong secret", { authorization: basic(ORDERS.id, "wrong-secret-wrong-secret") }],
    ["not base64", { authorization: "Basic %%%" }],
  ])("%s: 401 invalid_client, JSON, with a Basic challenge", async (_label, headers: Record<string, string>) => {
    const user = await newUser();
    const device = await api.device(user.email, PASSWORD);
    const res = await rawIntrospect(
      { ...headers, "content-type": "application/x-www-form-urlencoded" },
      new URLSearchParams({ token: device.access_token }).toString(),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Basic realm="introspection"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: "invalid_client", error_description: expect.any(String) });
  });

  it("the secret never appears in the app's logs", () => {
    expect(testApp.app.logs).toContain("introspection_client_refused");
    expect(testApp.app.logs).not.toContain(ORDERS.secret);
    expect(testApp.app.logs).not.toContain(BILLING.secret);
  });
});

describe("request shapes", () => {
  const auth = () => ({ authorization: basic(ORDERS.id, ORDERS.secret) });

  it("a JSON body works like a form", async () => {
    const user = await newUser();
    const device = await api.device(user.email, PASSWORD);
    const res = await rawIntrospect(
      { ...auth(), "content-type": "application/json" },
      JSON.stringify({ token: device.access_token }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: true, sid: device.session_id });
  });

  it.each([
    ["no token", "token_type_hint=access_token"],
    ["an empty token", "token="],
    ["a repeated token", "token=a&token=b"],
  ])("%s: 400 invalid_request", async (_label, body) => {
    const res = await rawIntrospect({ ...auth(), "content-type": "application/x-www-form-urlencoded" }, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request", error_description: expect.any(String) });
  });

  it("GET: 405 JSON with Allow: POST", async () => {
    const res = await rawIntrospect(auth(), "", "GET");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toMatchObject({ error: "method_not_allowed" });
  });
});
