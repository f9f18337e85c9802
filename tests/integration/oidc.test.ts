/**
 * Sign-in with OpenID Connect through next-auth's real flow, over HTTP, against a real provider
 * (scripts/lib/oidc-provider.ts: oauth2-mock-server on loopback, its own signing key): next-auth's
 * CSRF token, POST /api/auth/signin/oidc, the provider's /authorize (which redirects straight back
 * with a code), the callback with the browser's cookies. The identity's session is a device session
 * like any other: listed with its method, revocable at once. State and nonce are checked, an existing
 * account's email is never linked silently, connecting needs the signed-in browser's intent, and the
 * last way into an account cannot be disconnected.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { OIDC_DISPLAY_NAME, startOidcProvider, type OidcProvider } from "../../scripts/lib/oidc-provider";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { actionForm, builtServerActions } from "../support/server-actions";

const PASSWORD = "correct horse battery";
const SESSION = "rjs.session-token";
const REFRESH = "rjs.refresh-token";
const INTENT = "rjs.link-intent";

let dir: string;
let provider: OidcProvider;
let testApp: TestApp;
let plainApp: TestApp;
let api: Api;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "oidc-test-"));
  provider = await startOidcProvider({ dir });
  [testApp, plainApp] = await Promise.all([startTestApp("oidc", provider.env), startTestApp("oidc-off")]);
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await Promise.all([testApp?.stop(), plainApp?.stop()]);
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

const url = (p: string) => `${testApp.app.url}${p}`;

function keep(jar: Map<string, string>, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    const eq = pair.indexOf("=");
    const value = pair.slice(eq + 1);
    if (value === "" || /max-age=0/i.test(line)) jar.delete(pair.slice(0, eq));
    else jar.set(pair.slice(0, eq), value);
  }
}

interface Flow {
  /** Where the app sent the browser at the end (relative to the app). */
  location: string;
  jar: Map<string, string>;
}

/**
 * The browser's round trip: next-auth's signIn("oidc") (CSRF token, then the POST), the provider's
 * /authorize, back to the callback. `tamper` edits the callback URL the provider sent (an attacker's).
 */
async function oidcFlow(jar = new Map<string, string>(), tamper?: (callback: URL) => void): Promise<Flow> {
  const csrf = await fetch(url("/api/auth/csrf"), { headers: { cookie: cookieHeader(jar) } });
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await fetch(url("/api/auth/signin/oidc"), {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: testApp.app.url,
      cookie: cookieHeader(jar),
    },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/devices", json: "true" }).toString(),
  });
  expect(start.status).toBe(200);
  keep(jar, start);
  const authorize = new URL(((await start.json()) as { url: string }).url);
  expect(authorize.origin).toBe(provider.issuer);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  const atProvider = await fetch(authorize, { redirect: "manual" });
  expect(atProvider.status).toBe(302);
  const callback = new URL(atProvider.headers.get("location")!);
  expect(callback.pathname).toBe("/api/auth/callback/oidc");
  tamper?.(callback);
  const back = await fetch(callback, { redirect: "manual", headers: { cookie: cookieHeader(jar) } });
  expect(back.status).toBe(302);
  keep(jar, back);
  let location = back.headers.get("location")!;
  // next-auth's own failures go through /api/auth/error and /api/auth/signin, on to /login.
  for (let hops = 0; new URL(location, testApp.app.url).pathname.startsWith("/api/auth/"); hops++) {
    expect(hops).toBeLessThan(3);
    const next = await fetch(new URL(location, testApp.app.url), { redirect: "manual" });
    expect(next.status).toBe(302);
    location = next.headers.get("location")!;
  }
  const parsed = new URL(location, testApp.app.url);
  return { location: parsed.pathname + parsed.search, jar };
}

/** The access token of a signed-in browser: its session cookie, also a Bearer token. */
function accessToken(flow: Flow): string {
  const token = flow.jar.get(SESSION);
  expect(token, `no session cookie; went to ${flow.location}`).toBeTruthy();
  return token!;
}

async function page(path: string, jar: Map<string, string>, base = testApp.app.url): Promise<string> {
  const res = await fetch(`${base}${path}`, { headers: { cookie: cookieHeader(jar) } });
  expect(res.status).toBe(200);
  return res.text();
}

let subjects = 0;
function nextSubject(): string {
  subjects += 1;
  return `subject-${Date.now()}-${subjects}`;
}

describe("signing in with OpenID Connect", () => {
  it("makes a device session: the cookie is a Bearer token with amr fed, listed with its method, revoked at once", async () => {
    const email = uniqueEmail("oidc-new");
    const sub = nextSubject();
    provider.setNextSignIn({ sub, email, email_verified: true, name: "Grace Hopper" });
    const first = await oidcFlow();
    expect(first.location).toBe("/devices");
    expect(first.jar.get(REFRESH)).toBeTruthy();
    const token = accessToken(first);
    expect(decodeJwt(token)).toMatchObject({ amr: ["fed"], email, email_verified: true });

    const me = await api.me(token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email, emailVerified: true } });
    const sessions = await api.sessions(token);
    expect(sessions.body.sessions).toEqual([
      expect.objectContaining({ current: true, signInMethod: "oidc", amr: ["fed"] }),
    ]);
    expect(await page("/devices", first.jar)).toContain(`With ${OIDC_DISPLAY_NAME}`);

    // A second device of the same identity signs the first out: refused on its very next request.
    provider.setNextSignIn({ sub, email, email_verified: true });
    const second = await oidcFlow();
    const other = accessToken(second);
    expect(decodeJwt(other).sub).toBe(decodeJwt(token).sub);
    expect((await api.deleteSession(other, decodeJwt(token).sid as string)).status).toBe(204);
    const refused = await api.me(token);
    expect(refused.status).toBe(401);
    expect((refused.body as unknown as { error: string }).error).toBe("invalid_token");
    expect((await api.me(other)).status).toBe(200);
  });

  it("refuses a callback whose state was tampered with: no session", async () => {
    provider.setNextSignIn({ sub: nextSubject(), email: uniqueEmail("oidc-state"), email_verified: true });
    const flow = await oidcFlow(new Map(), (callback) => callback.searchParams.set("state", "forged-state"));
    expect(flow.location).toMatch(/^\/login\?(.*&)?error=OAuthCallback(&|$)/);
    expect(flow.jar.get(SESSION)).toBeUndefined();
    expect(await page(flow.location, flow.jar)).toContain("could not be completed");
  });

  it("refuses an id_token whose nonce is not this browser's: no session, no account", async () => {
    const email = uniqueEmail("oidc-nonce");
    provider.setNextSignIn({ sub: nextSubject(), email, email_verified: true, nonce: "someone-elses-nonce" });
    const flow = await oidcFlow();
    expect(flow.location).toMatch(/^\/login\?(.*&)?error=OAuthCallback(&|$)/);
    expect(flow.jar.get(SESSION)).toBeUndefined();
    // The email is still free: nothing was made with it.
    expect((await api.register(email, PASSWORD)).status).toBe(201);
  });

  for (const emailVerified of [true, false]) {
    it(`never links an identity whose ${emailVerified ? "verified" : "unverified"} email belongs to an existing account`, async () => {
      const email = uniqueEmail("oidc-existing");
      expect((await api.register(email, PASSWORD)).status).toBe(201);
      provider.setNextSignIn({ sub: nextSubject(), email, email_verified: emailVerified });
      const flow = await oidcFlow();
      expect(flow.location).toBe("/login?error=identity_not_linked");
      expect(flow.jar.get(SESSION)).toBeUndefined();
      expect(await page(flow.location, flow.jar)).toContain("connect it under Security settings");
      const owner = await api.device(email, PASSWORD);
      const identities = await fetch(url("/api/account/identities"), {
        headers: { authorization: `Bearer ${owner.access_token}` },
      });
      expect(await identities.json()).toEqual({ identities: [] });
      expect((await api.sessions(owner.access_token)).body.sessions).toHaveLength(1);
    });
  }

  it("refuses an identity without an email, with a message that says why", async () => {
    provider.setNextSignIn({ sub: nextSubject(), email: null });
    const flow = await oidcFlow();
    expect(flow.location).toBe("/login?error=identity_no_email");
    expect(flow.jar.get(SESSION)).toBeUndefined();
    expect(await page(flow.location, flow.jar)).toContain("did not tell us your email address");
  });
});

describe("connected accounts", () => {
  const connect = builtServerActions().find((action) => action.name === "connectIdentityAction")!;

  /** The "Connect" form's server action, as the page posts it: the intent cookie comes back. */
  async function connectIntent(jar: Map<string, string>, fields: Record<string, string>): Promise<string> {
    const res = await fetch(url("/settings/security"), {
      method: "POST",
      redirect: "manual",
      headers: { origin: testApp.app.url, "next-action": connect.id, cookie: cookieHeader(jar) },
      body: actionForm(fields),
    });
    expect(res.status).toBe(200);
    keep(jar, res);
    return res.text();
  }

  it("connects an identity from a signed-in account, which then signs in to that account", async () => {
    const email = uniqueEmail("oidc-connect");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const browser = await browserSignIn(testApp.app.url, email, PASSWORD);
    const jar = browser.cookies;
    const sub = nextSubject();
    const workEmail = uniqueEmail("oidc-work");

    expect(await page("/settings/security", jar)).toContain(`Connect ${OIDC_DISPLAY_NAME}`);
    // A wrong password sets no intent.
    expect(await connectIntent(jar, { provider: "oidc", password: "not the password" })).toContain(
      "The password is wrong.",
    );
    expect(jar.get(INTENT)).toBeUndefined();
    await connectIntent(jar, { provider: "oidc", password: "" }); // a sign-in seconds ago is recent enough
    expect(jar.get(INTENT)).toBeTruthy();

    provider.setNextSignIn({ sub, email: workEmail, email_verified: true });
    // The 5-minute access token ran out meanwhile (the browser dropped its cookie): the refresh cookie
    // renews it and the same session connects. (The e2e spec connects with a live one.)
    const before = decodeJwt(jar.get(SESSION)!).sid;
    jar.delete(SESSION);
    const linked = await oidcFlow(jar);
    expect(linked.location).toBe("/settings/security?connected=oidc");
    expect(decodeJwt(accessToken(linked)).sid).toBe(before);
    expect(jar.get(INTENT)).toBeUndefined(); // single use
    const token = accessToken(linked);
    expect(decodeJwt(token).amr).toEqual(["pwd"]); // still the password session: connecting is no sign-in
    const listed = await fetch(url("/api/account/identities"), { headers: { authorization: `Bearer ${token}` } });
    expect(await listed.json()).toEqual({
      identities: [expect.objectContaining({ provider: "oidc", providerName: OIDC_DISPLAY_NAME, email: workEmail })],
    });
    expect(await page("/settings/security?connected=oidc", jar)).toContain(`Disconnect ${OIDC_DISPLAY_NAME}`);

    provider.setNextSignIn({ sub, email: workEmail, email_verified: true });
    const signedIn = await oidcFlow();
    expect(decodeJwt(accessToken(signedIn))).toMatchObject({ email, amr: ["fed"] });

    // Disconnecting (the password is still a way in) stops it signing in; a new account is not made either.
    const gone = await fetch(url("/api/account/identities/oidc"), {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: testApp.app.url },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(gone.status).toBe(204);
    provider.setNextSignIn({ sub, email, email_verified: true });
    expect((await oidcFlow()).location).toBe("/login?error=identity_not_linked");
  });

  it("an intent of another browser session does not connect anything", async () => {
    const email = uniqueEmail("oidc-intent");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const a = (await browserSignIn(testApp.app.url, email, PASSWORD)).cookies;
    const b = (await browserSignIn(testApp.app.url, email, PASSWORD)).cookies;
    await connectIntent(a, { provider: "oidc", password: PASSWORD });
    b.set(INTENT, a.get(INTENT)!); // carried over to another session of the same account
    provider.setNextSignIn({ sub: nextSubject(), email: uniqueEmail("oidc-other"), email_verified: true });
    const flow = await oidcFlow(b);
    expect(flow.location).toBe("/settings/security?connect_error=expired");
    const listed = await fetch(url("/api/account/identities"), {
      headers: { authorization: `Bearer ${accessToken(flow)}` },
    });
    expect(await listed.json()).toEqual({ identities: [] });
  });

  it("refuses to disconnect the last way into an account without a password (409); it has no password to change", async () => {
    provider.setNextSignIn({ sub: nextSubject(), email: uniqueEmail("oidc-only"), email_verified: true });
    const token = accessToken(await oidcFlow());
    const res = await fetch(url("/api/account/identities/oidc"), {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe("conflict");
    expect(body.error_description).toMatch(/Set a password first/);
    expect((await api.me(token)).status).toBe(200);
    // It has no password to change either: the answer says how to set one.
    const change = await api.changePassword(token, "any password at all", "a new long password");
    expect(change.status).toBe(400);
    expect(JSON.stringify(change.body)).toMatch(/no password yet.*Forgot password\?/);
  });
});

describe("an account without a password", () => {
  it("is not asked for a password it does not have: its account page deletes it after a recent sign-in", async () => {
    provider.setNextSignIn({ sub: nextSubject(), email: uniqueEmail("oidc-delete"), email_verified: true });
    const flow = await oidcFlow();
    const token = accessToken(flow);
    const html = await page("/settings/account", flow.jar);
    expect(html).toContain("This account has no password");
    expect(html).not.toContain('id="delete-account-password"');
    expect(html).not.toContain('id="change-email-password"');

    const remove = builtServerActions().find((action) => action.name === "deleteAccountAction")!;
    const res = await fetch(url("/settings/account"), {
      method: "POST",
      redirect: "manual",
      headers: { origin: testApp.app.url, "next-action": remove.id, cookie: cookieHeader(flow.jar) },
      body: actionForm({}),
    });
    expect(res.status).toBeLessThan(400);
    expect(res.headers.get("x-action-redirect") ?? res.headers.get("location")).toMatch(/reason=account_deleted/);
    expect((await api.me(token)).status).toBe(401);
  });
});

describe("the sign-in page", () => {
  it("offers “Continue with <OIDC_DISPLAY_NAME>” only when OIDC is configured", async () => {
    expect(await page("/login", new Map())).toContain(`Continue with ${OIDC_DISPLAY_NAME}`);
    const plain = await page("/login", new Map(), plainApp.app.url);
    expect(plain).toContain("Sign in");
    // No such button (the page's messages for its scripts do hold the words "Continue with").
    expect(plain).not.toMatch(/>Continue with /);
  });
});
