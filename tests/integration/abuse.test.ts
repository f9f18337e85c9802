import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { browserSignIn } from "../support/browser-sign-in";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * Rate limits (real limits: RATE_LIMIT_SCALE=1), CSRF and security headers, over HTTP.
 * The client address is varied with X-Forwarded-For: the app trusts one proxy (TRUST_PROXY_HOPS=1)
 * and the test plays it, sending the one entry such a proxy appends (src/server/http/client-info.ts;
 * tests/integration/client-address.test.ts covers the address itself).
 */
let testApp: TestApp;
let api: Api;
const PASSWORD = "correct horse battery";

beforeAll(async () => {
  testApp = await startTestApp("abuse", { RATE_LIMIT_SCALE: "1", TRUST_PROXY_HOPS: "1" });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

function from(ip: string) {
  return { "x-forwarded-for": ip };
}

async function signIn(email: string, password: string, ip: string) {
  return api.call("POST", "/api/auth/token", {
    form: { grant_type: "password", username: email, password },
    headers: from(ip),
  });
}

describe("rate limits", () => {
  it("stop guessing one account from one address (429 + Retry-After) while its owner signs in from theirs", async () => {
    const email = uniqueEmail("victim");
    expect(
      (
        await api.call("POST", "/api/auth/register", {
          json: { email, password: PASSWORD },
          headers: from("192.0.2.1"),
        })
      ).status,
    ).toBe(201);
    for (let i = 0; i < 5; i++) expect((await signIn(email, `guess-${i}`, "198.51.100.7")).status).toBe(400);

    const limited = await signIn(email, PASSWORD, "198.51.100.7");
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      error: "rate_limited",
      error_description: expect.stringMatching(/too many attempts/i),
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    expect((await signIn(email, PASSWORD, "203.0.113.20")).status).toBe(200);
  });

  it("limit registrations per address", async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push(
        (
          await api.call("POST", "/api/auth/register", {
            json: { email: uniqueEmail("bulk"), password: PASSWORD },
            headers: from("198.51.100.99"),
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it("limit refreshes per session", async () => {
    const email = uniqueEmail("refresher");
    await api.call("POST", "/api/auth/register", { json: { email, password: PASSWORD }, headers: from("192.0.2.2") });
    let token = (await signIn(email, PASSWORD, "192.0.2.2")).body.refresh_token as string;
    for (let i = 0; i < 30; i++) {
      const res = await api.refresh(token);
      expect(res.status).toBe(200);
      token = res.body.refresh_token;
    }
    const limited = await api.refresh(token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });

  it("tell the browser sign-in form why (next-auth passes the message through)", async () => {
    const email = uniqueEmail("browser");
    await api.call("POST", "/api/auth/register", { json: { email, password: PASSWORD }, headers: from("192.0.2.3") });
    for (let i = 0; i < 5; i++) await signIn(email, `guess-${i}`, "198.51.100.50");
    const res = await browserSignIn(testApp.app.url, email, PASSWORD, from("198.51.100.50"));
    const body = JSON.parse(res.body) as { url: string };
    expect(new URL(body.url).searchParams.get("error")).toMatch(/too many attempts/i);
  });
});

describe("CSRF and security headers", () => {
  it("refuses a cookie-authenticated state change from a foreign origin, but not a Bearer call", async () => {
    const foreign = await fetch(`${testApp.app.url}/devices`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: "x",
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: "invalid_request" });
    const signout = await fetch(`${testApp.app.url}/api/auth/signout`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
    });
    expect(signout.status).toBe(403);

    const email = uniqueEmail("bearer");
    await api.call("POST", "/api/auth/register", { json: { email, password: PASSWORD }, headers: from("192.0.2.4") });
    const { access_token } = (await signIn(email, PASSWORD, "192.0.2.4")).body as { access_token: string };
    const bearer = await api.call("POST", "/api/auth/logout", {
      token: access_token,
      json: {},
      headers: { origin: "https://evil.example" },
    });
    expect(bearer.status).toBe(204);
  });

  it("sends a nonce CSP, frame-ancestors and the other security headers with every page", async () => {
    const first = await fetch(`${testApp.app.url}/login`);
    const second = await fetch(`${testApp.app.url}/login`);
    const csp = first.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(second.headers.get("content-security-policy")).not.toBe(csp); // a fresh nonce per response
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(await first.text()).toContain(`nonce="${nonce}"`);
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers 405 JSON with Allow for a method a route does not serve", async () => {
    const res = await api.call("GET", "/api/auth/token");
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ error: "method_not_allowed" });
    expect(res.headers.get("allow")).toBe("POST");
  });
});
