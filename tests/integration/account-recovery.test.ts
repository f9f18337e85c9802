/**
 * Password reset and email verification over HTTP, with the mail taken from a real SMTP
 * server (scripts/lib/mail-capture.ts) the apps send to. Storage follows DATABASE_URL / REDIS_URL;
 * with PostgreSQL + Redis a second instance on the same storage shows that a reset signs every
 * device out everywhere at once (the embedded PGlite cannot be shared between two processes).
 * Link expiry is proven in the engine's unit tests (a fake clock): here only unknown tokens.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import type { AppServer } from "../../scripts/lib/app-server";
import { linkIn, type MailCapture } from "../../scripts/lib/mail-capture";
import type { TestApp } from "../../scripts/lib/test-app";
import { accountApi, startAccountApps, type AccountApps } from "../support/account-api";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new passphrase";

let apps: AccountApps;
let capture: MailCapture;
let testApp: TestApp;
/** Real rate limits (RATE_LIMIT_SCALE=1). */
let limitsApp: TestApp;
/** A second instance on the same storage (PostgreSQL + Redis only). */
let second: AppServer | undefined;
let api: Api;
let account: AccountApps["account"];

beforeAll(async () => {
  apps = await startAccountApps("recovery", {
    // Info level: every auth event is logged, and none may carry a link's token (last test).
    app: { LOG_LEVEL: "info" },
    // The client address comes from X-Forwarded-For (per-address limits).
    limits: { TRUST_PROXY_HOPS: "1" },
  });
  ({ capture, testApp, limitsApp, second, api, account } = apps);
});

afterAll(async () => {
  await apps?.stop();
});

const newAccount = (label: string, client = api) => apps.newAccount(label, PASSWORD, client);

/** Asks for a reset link for `email` and answers its token, from the mail. */
async function resetLink(email: string): Promise<string> {
  const since = Date.now();
  expect((await account.requestReset(email)).status).toBe(202);
  const mail = await capture.waitFor(email, { subject: /^Reset your password$/, since });
  return linkIn(mail, "reset-password").token;
}

/** Every header but the ones that differ between any two responses (Date). */
function stableHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => name !== "date"));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe("password reset", () => {
  it("resets the password with the mailed link, signs out every device on every instance, and says so", async () => {
    const email = await newAccount("reset");
    const unknown = uniqueEmail("nobody");
    const [laptop, phone] = await Promise.all([api.device(email, PASSWORD), api.device(email, PASSWORD)]);

    const since = Date.now();
    const [known, other] = await Promise.all([account.requestReset(email), account.requestReset(unknown)]);
    expect(known.status).toBe(202);
    expect(known.body).toEqual({});
    expect(other.status).toBe(known.status);
    expect(other.body).toEqual(known.body);
    expect(stableHeaders(other.headers)).toEqual(stableHeaders(known.headers));

    const mail = await capture.waitFor(email, { subject: /^Reset your password$/, since });
    const link = linkIn(mail, "reset-password");
    expect(link.url).toBe(`${testApp.app.url}/reset-password?token=${link.token}`);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The tokens work until the reset, on both instances.
    const instances = [api, ...(second ? [new Api(second.url)] : [])];
    for (const client of instances) expect((await client.me(laptop.access_token)).status).toBe(200);

    const done = await account.confirmReset(link.token, NEW_PASSWORD);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toEqual({});

    // Every access and refresh token of the account is refused at once, on every instance.
    for (const client of instances) {
      const checks = await Promise.all([
        client.me(laptop.access_token),
        client.me(phone.access_token),
        client.refresh(laptop.refresh_token),
        client.refresh(phone.refresh_token),
      ]);
      expect(
        checks.map((res) => res.status),
        client.baseUrl,
      ).toEqual([401, 401, 400, 400]);
      expect(checks[0]!.body).toMatchObject({ error: "invalid_token" });
      expect(checks[2]!.body).toMatchObject({ error: "invalid_grant" });
    }

    const [oldPassword, newPassword] = await Promise.all([
      api.signIn(email, PASSWORD),
      api.signIn(email, NEW_PASSWORD),
    ]);
    expect(oldPassword.status).toBe(400);
    expect(oldPassword.body).toMatchObject({ error: "invalid_grant" });
    expect(newPassword.status).toBe(200);

    // Single use.
    const again = await account.confirmReset(link.token, "yet another passphrase");
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: "invalid_grant" });

    const notice = await capture.waitFor(email, { subject: /^Your password was reset$/, since });
    expect(notice.text).not.toContain(link.token);
    expect(notice.text).toMatch(/signed out/);
    expect(await account.activityTypes(newPassword.body.access_token)).toEqual(
      expect.arrayContaining(["password_reset", "password_reset_requested"]),
    );

    // The unknown address never got anything.
    expect(capture.messages.filter((m) => m.to.includes(unknown))).toEqual([]);
  });

  it("an older link dies when a newer one is mailed, and a link dies when the password is changed", async () => {
    const email = await newAccount("links");
    const first = await resetLink(email);
    const second = await resetLink(email);
    expect(second).not.toBe(first);
    expect((await account.confirmReset(first, NEW_PASSWORD)).body).toMatchObject({ error: "invalid_grant" });
    expect((await account.confirmReset(second, NEW_PASSWORD)).status).toBe(200);

    const third = await resetLink(email);
    const device = await api.device(email, NEW_PASSWORD);
    expect((await api.changePassword(device.access_token, NEW_PASSWORD, PASSWORD)).status).toBe(200);
    const dead = await account.confirmReset(third, "the attacker's choice");
    expect(dead.status).toBe(400);
    expect(dead.body).toMatchObject({ error: "invalid_grant" });
    expect((await api.signIn(email, PASSWORD)).status).toBe(200);
  });

  it("unknown, malformed and foreign tokens: 400 invalid_grant; bad input: 400 invalid_request; other methods: 405", async () => {
    const tokens = [
      randomBytes(32).toString("base64url"), // the right shape, never issued
      "x",
      "not a token at all",
      "A".repeat(500),
    ];
    const answers = await Promise.all([
      ...tokens.map((token) => account.confirmReset(token, NEW_PASSWORD)),
      ...tokens.map((token) => account.verifyEmail(token)),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "invalid_grant", error_description: expect.stringMatching(/link/i) });
    }

    const invalid = await Promise.all([
      api.call("POST", "/api/auth/password-reset", { json: { email: "not-an-email" } }),
      api.call("POST", "/api/auth/password-reset", { json: {} }),
      api.call("POST", "/api/auth/password-reset/confirm", { json: { token: tokens[0], newPassword: "short" } }),
      api.call("POST", "/api/auth/password-reset/confirm", { json: { newPassword: NEW_PASSWORD } }),
      api.call("POST", "/api/auth/verify-email", { json: { token: "" } }),
      api.call("POST", "/api/auth/verify-email", { raw: "{not json", headers: { "content-type": "application/json" } }),
    ]);
    expect(invalid.map((res) => [res.status, res.body.error])).toEqual(
      Array.from({ length: invalid.length }, () => [400, "invalid_request"]),
    );
    expect(invalid[0]!.body).toMatchObject({ fields: { email: [expect.any(String)] } });
    expect(invalid[2]!.body).toMatchObject({ fields: { newPassword: [expect.any(String)] } });

    const wrongMethods = await Promise.all(
      ["/api/auth/password-reset", "/api/auth/password-reset/confirm", "/api/auth/verify-email"].map((path) =>
        api.call("GET", path),
      ),
    );
    for (const res of wrongMethods) {
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("a cross-site browser request is refused (403)", async () => {
    const res = await api.call("POST", "/api/auth/password-reset", {
      json: { email: uniqueEmail("csrf") },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });

  it("does not tell by its timing whether an account exists", async () => {
    const email = await newAccount("timing");
    const unknown = uniqueEmail("timing-nobody");
    await Promise.all([account.requestReset(email), account.requestReset(unknown)]); // warm both paths
    const known: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < 15; i++) {
      // Alternating, so drift in the machine's load hits both series alike.
      for (const [target, times] of [
        [email, known],
        [unknown, other],
      ] as const) {
        const start = performance.now();
        expect((await account.requestReset(target)).status).toBe(202);
        times.push(performance.now() - start);
      }
    }
    // Not a speed test: a leak test. The known-account path must not do visible extra work before
    // answering (hashing, issuing the link, SMTP: all happen after the answer). That work costs tens
    // to hundreds of milliseconds, so a leak would separate the medians far beyond this bound, while
    // the noise of a loaded 2-core machine (a few ms, sometimes a GC pause) stays well inside it.
    const [a, b] = [median(known), median(other)];
    expect(Math.abs(a - b), `medians: known ${a.toFixed(1)} ms, unknown ${b.toFixed(1)} ms`).toBeLessThan(
      50 + 0.5 * Math.max(a, b),
    );
  });
});

// Independent accounts, addresses and emails: these run side by side.
describe.concurrent("rate limits (real limits: RATE_LIMIT_SCALE=1)", () => {
  const limited = () => new Api(limitsApp.app.url);
  const from = (ip: string) => ({ "x-forwarded-for": ip });

  function expectLimited(res: { status: number; body: Record<string, unknown>; headers: Headers }) {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ error: "rate_limited" });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  }

  it("reset links: 5 per email an hour (whatever the address), 20 per address", async () => {
    const client = accountApi(limited());
    const email = await newAccount("limit-email", limited());
    for (let i = 0; i < 5; i++)
      expect((await client.requestReset(email, from(`198.51.100.${i + 1}`))).status).toBe(202);
    expectLimited(await client.requestReset(email, from("198.51.100.99")));
    // An address with no account is limited the same way: a 429 tells nothing either.
    const nobody = uniqueEmail("limit-nobody");
    for (let i = 0; i < 5; i++)
      expect((await client.requestReset(nobody, from(`198.51.100.${i + 1}`))).status).toBe(202);
    expectLimited(await client.requestReset(nobody, from("198.51.100.99")));

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.requestReset(uniqueEmail("limit-ip"), from("203.0.113.20"))),
    );
    expect(answers.map((res) => res.status)).toEqual(Array.from({ length: 20 }, () => 202));
    expectLimited(await client.requestReset(uniqueEmail("limit-ip"), from("203.0.113.20")));
    expect((await client.requestReset(uniqueEmail("limit-ip"), from("203.0.113.21"))).status).toBe(202);
  });

  it("refused link tokens: 30 per address, then even a good one waits", async () => {
    const client = accountApi(limited());
    const email = await newAccount("limit-link", limited());
    const since = Date.now();
    expect((await client.requestReset(email, from("203.0.113.30"))).status).toBe(202);
    const good = linkIn(await capture.waitFor(email, { subject: /^Reset your password$/, since }), "reset-password");
    const guesses = await Promise.all(
      Array.from({ length: 30 }, () =>
        client.confirmReset(randomBytes(32).toString("base64url"), NEW_PASSWORD, from("203.0.113.31")),
      ),
    );
    expect(guesses.map((res) => res.status)).toEqual(Array.from({ length: 30 }, () => 400));
    expectLimited(await client.confirmReset(good.token, NEW_PASSWORD, from("203.0.113.31")));
    expectLimited(await client.verifyEmail(good.token, from("203.0.113.31")));
    // From another address the link still works: the guesses did not spend it.
    expect((await client.confirmReset(good.token, NEW_PASSWORD, from("203.0.113.32"))).status).toBe(200);
  });

  it("verification mail on request: 5 per account an hour", async () => {
    const client = accountApi(limited());
    const email = await newAccount("limit-verify", limited());
    const device = await limited().device(email, PASSWORD);
    for (let i = 0; i < 5; i++) expect((await client.resendVerification(device.access_token)).status).toBe(202);
    expectLimited(await client.resendVerification(device.access_token));
  });
});

describe.concurrent("email verification", () => {
  it("registration mails a link; using it verifies the address (seen after a refresh); the link is single use", async () => {
    const since = Date.now();
    const email = await newAccount("verify");
    const mail = await capture.waitFor(email, { subject: /^Verify your email address$/, since });
    const link = linkIn(mail, "verify-email");
    expect(link.url).toBe(`${testApp.app.url}/verify-email?token=${link.token}`);

    const device = await api.device(email, PASSWORD);
    const before = await account.me(device.access_token);
    expect(before.status).toBe(200);
    expect(before.body.user.emailVerified).toBe(false);

    const verified = await account.verifyEmail(link.token);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toEqual({});

    const refreshed = await api.refresh(device.refresh_token);
    expect(refreshed.status).toBe(200);
    expect((await account.me(refreshed.body.access_token)).body.user.emailVerified).toBe(true);
    // A new sign-in says so too.
    expect((await account.me((await api.device(email, PASSWORD)).access_token)).body.user.emailVerified).toBe(true);
    expect(await account.activityTypes(refreshed.body.access_token)).toContain("email_verified");

    const reuse = await account.verifyEmail(link.token);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: "invalid_grant" });
  });

  it("asking again (Bearer) mails a new link and kills the older one; no token, no mail", async () => {
    const since = Date.now();
    const email = await newAccount("resend");
    const first = linkIn(
      await capture.waitFor(email, { subject: /^Verify your email address$/, since }),
      "verify-email",
    );
    const device = await api.device(email, PASSWORD);

    const resendSince = Date.now();
    const resent = await account.resendVerification(device.access_token);
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({});
    const newer = linkIn(
      await capture.waitFor(email, { subject: /^Verify your email address$/, since: resendSince }),
      "verify-email",
    );
    expect(newer.token).not.toBe(first.token);

    expect((await account.verifyEmail(first.token)).body).toMatchObject({ error: "invalid_grant" });
    expect((await account.verifyEmail(newer.token)).status).toBe(200);

    const anonymous = await api.call("POST", "/api/account/email/verification");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
    const wrongMethod = await api.call("GET", "/api/account/email/verification", { token: device.access_token });
    expect(wrongMethod.status).toBe(405);
  });
});

describe("secrets", () => {
  it("no link token and no new password reaches the apps' logs", () => {
    const tokens = capture.messages.flatMap((m) => [...m.text.matchAll(/\?token=([A-Za-z0-9_-]+)/g)].map((x) => x[1]!));
    expect(tokens.length).toBeGreaterThan(20);
    const logs = [testApp.app.logs, limitsApp.app.logs, second?.logs ?? ""].join("\n");
    expect(logs).toContain(`"event":"password_reset"`); // the logs are there to look at
    for (const token of tokens) expect(logs).not.toContain(token);
    expect(logs).not.toContain(NEW_PASSWORD);
  });
});
