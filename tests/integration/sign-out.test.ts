/**
 * next-auth's own sign-out (POST /api/auth/signout with its CSRF token, as its `signOut()` posts it)
 * ends the device session and clears both cookies, also when the access JWT in the session cookie
 * has already run out: the refresh cookie then names the session, and only a genuine one (its hash
 * matches the session's) signs anything out. A forged or superseded refresh token signs nobody out.
 *
 * The lapsed JWT is minted by this file with the app's signing key (a past `exp`, the session's real
 * claims), so no test waits for an access token to expire.
 */
import { createPrivateKey, randomBytes, sign as cryptoSign, type JsonWebKey, type KeyObject } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { testSecrets } from "../../scripts/lib/keys";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { es256LowS } from "../../src/core/access-tokens";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";

const PASSWORD = "correct horse battery";
const SESSION = "rjs.session-token";
const REFRESH = "rjs.refresh-token";

let testApp: TestApp;
let api: Api;
let signingKey: KeyObject;
let kid: string;

beforeAll(async () => {
  const secrets = await testSecrets();
  const jwk = (JSON.parse(secrets.JWT_SIGNING_KEYS!) as { keys: (JsonWebKey & { kid: string })[] }).keys[0]!;
  signingKey = createPrivateKey({ key: jwk, format: "jwk" });
  kid = jwk.kid;
  testApp = await startTestApp("signout");
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

const url = (path: string) => `${testApp.app.url}${path}`;

/** The same session's access JWT, perfectly signed, that ran out two minutes ago. */
function lapsed(accessToken: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...decodeJwt(accessToken), iat: now - 420, exp: now - 120 };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const input = `${encode({ alg: "ES256", kid, typ: "at+jwt" })}.${encode(claims)}`;
  const signature = cryptoSign("sha256", Buffer.from(input), { key: signingKey, dsaEncoding: "ieee-p1363" });
  return es256LowS(`${input}.${signature.toString("base64url")}`);
}

/** A browser signed in through next-auth: its cookies (CSRF, session, refresh). */
async function signedInBrowser(): Promise<Map<string, string>> {
  const email = uniqueEmail("signout");
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const signIn = await browserSignIn(testApp.app.url, email, PASSWORD);
  expect(signIn.status, signIn.body).toBe(200);
  expect(signIn.cookies.get(SESSION)).toBeTruthy();
  expect(signIn.cookies.get(REFRESH)).toBeTruthy();
  return signIn.cookies;
}

/** next-auth's sign-out as its client posts it: the CSRF token first, then the form with it. */
async function nextAuthSignOut(cookies: Map<string, string>): Promise<Response> {
  const jar = new Map(cookies);
  const csrf = await fetch(url("/api/auth/csrf"), { headers: { cookie: cookieHeader(jar) } });
  expect(csrf.status).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  for (const line of csrf.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
  }
  return fetch(url("/api/auth/signout"), {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: testApp.app.url,
      cookie: cookieHeader(jar),
    },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/login", json: "true" }).toString(),
  });
}

/** The cookies a response clears (an empty value, or Max-Age=0, or an expiry in the past). */
function clearedCookies(response: Response): string[] {
  return response.headers
    .getSetCookie()
    .filter((line) => /^[^=]+=;|max-age=0|expires=thu, 01 jan 1970/i.test(line))
    .map((line) => line.slice(0, line.indexOf("=")))
    .sort();
}

/** Whether a browser with these cookies gets the devices page (signed in), rather than the sign-in page. */
async function devicesPageStatus(cookies: Map<string, string>): Promise<number> {
  return (await fetch(url("/devices"), { redirect: "manual", headers: { cookie: cookieHeader(cookies) } })).status;
}

/** Another user's device, signed in through the API: its session must survive every attempt below. */
async function apiDevice() {
  const email = uniqueEmail("bystander");
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  return api.device(email, PASSWORD);
}

/** A cookie value next-auth cannot decode: the sign-out then has only the refresh cookie to go by. */
const UNREADABLE = "not-a-token";

describe("next-auth's own sign-out", () => {
  it("with a live JWT: ends the device session and clears both cookies", async () => {
    const cookies = await signedInBrowser();
    const response = await nextAuthSignOut(cookies);
    expect(response.status).toBe(200);
    expect(clearedCookies(response)).toEqual([REFRESH, SESSION]);
    expect(await devicesPageStatus(cookies)).toBe(307);
    expect((await api.me(cookies.get(SESSION)!)).status).toBe(401);
    expect((await api.refresh(cookies.get(REFRESH)!)).status).toBe(400);
  });

  it("with a JWT that has run out: ends the device session and clears both cookies", async () => {
    const cookies = await signedInBrowser();
    const held = new Map(cookies).set(SESSION, lapsed(cookies.get(SESSION)!));
    const response = await nextAuthSignOut(held);
    expect(response.status).toBe(200);
    expect(clearedCookies(response)).toEqual([REFRESH, SESSION]);
    // The next visit with the old cookies goes to the sign-in page instead of being signed back in,
    // the session's last live JWT is refused, and so is its refresh token.
    expect(await devicesPageStatus(held)).toBe(307);
    expect((await api.me(cookies.get(SESSION)!)).status).toBe(401);
    expect((await api.refresh(cookies.get(REFRESH)!)).status).toBe(400);
  });

  it("with an unreadable session cookie: a genuine refresh cookie alone ends its session", async () => {
    const cookies = await signedInBrowser();
    const held = new Map(cookies).set(SESSION, UNREADABLE);
    const response = await nextAuthSignOut(held);
    expect(response.status).toBe(200);
    expect(clearedCookies(response)).toEqual([REFRESH, SESSION]);
    expect((await api.me(cookies.get(SESSION)!)).status).toBe(401);
    expect((await api.refresh(cookies.get(REFRESH)!)).status).toBe(400);
  });

  it("a forged refresh cookie naming another session signs nobody out", async () => {
    const victim = await apiDevice();
    const forged = `${victim.session_id}.${randomBytes(32).toString("base64url")}`;
    const cookies = await signedInBrowser();
    const response = await nextAuthSignOut(new Map(cookies).set(SESSION, UNREADABLE).set(REFRESH, forged));
    expect(response.status).toBe(200);
    expect(clearedCookies(response)).toEqual([REFRESH, SESSION]);
    expect((await api.me(victim.access_token)).status).toBe(200);
    expect((await api.refresh(victim.refresh_token)).status).toBe(200);
  });

  it("a superseded refresh token (two rotations back) signs nobody out", async () => {
    const device = await apiDevice();
    const first = await api.refresh(device.refresh_token);
    expect(first.status).toBe(200);
    const second = await api.refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    const cookies = await signedInBrowser();
    const response = await nextAuthSignOut(
      new Map(cookies).set(SESSION, UNREADABLE).set(REFRESH, device.refresh_token),
    );
    expect(response.status).toBe(200);
    expect((await api.me(second.body.access_token)).status).toBe(200);
  });
});
