/**
 * `npm run admin` (the real script, as its own process) against a running app: what it revokes is
 * refused by the app on the very next request and pushed to open browsers; disabled accounts can
 * neither sign in nor refresh; failures are one clear line with a non-zero exit code.
 *
 * Storage: the command must open the app's database while the app runs, which the embedded PGlite
 * does not allow (one process per folder: that refusal is tested below). So the app runs on
 * PostgreSQL in both CI modes (a throwaway database on DATABASE_URL, else a private server) and on
 * Redis (REDIS_URL under a key prefix, else a private redis-server): see tests/support/ops-app.ts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, CHROME_MAC, SAFARI_IPHONE, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { startOpsApp, type OpsApp } from "../support/ops-app";
import { queryDatabase } from "../support/private-postgres";
import { expectOneLine, runScript } from "../support/run-script";

const PASSWORD = "correct horse battery";
let ops: OpsApp;
let api: Api;

beforeAll(async () => {
  ops = await startOpsApp("admin", { redis: true });
  api = new Api(ops.testApp.app.url);
});

afterAll(async () => {
  await ops?.stop();
});

function admin(...args: string[]) {
  return runScript("scripts/admin.ts", args, ops.env);
}

async function userWithDevices(count: number) {
  const email = uniqueEmail("admin");
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const devices: TokenBody[] = [];
  for (let i = 0; i < count; i++) devices.push(await api.device(email, PASSWORD, i % 2 ? SAFARI_IPHONE : CHROME_MAC));
  return { email, devices };
}

function query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
  return queryDatabase<R>(ops.databaseUrl, sql, params);
}

/** A browser signed in through next-auth, with its live sign-out stream open. */
async function browserWithStream(email: string) {
  const signedIn = await browserSignIn(api.baseUrl, email, PASSWORD);
  const cookie = cookieHeader(signedIn.cookies);
  const sid = decodeJwt(signedIn.cookies.get("rjs.session-token") ?? "").sid as string;
  const controller = new AbortController();
  const res = await fetch(`${api.baseUrl}/api/session/events`, {
    headers: { cookie, accept: "text/event-stream" },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  async function until(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = text.match(pattern);
      if (match) return match;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${pattern} on the stream within ${timeoutMs} ms; it said:\n${text}`);
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (chunk?.done) throw new Error(`the stream ended without ${pattern}; it said:\n${text}`);
      if (chunk) text += decoder.decode(chunk.value, { stream: true });
    }
  }
  await until(/event: ready/, 10_000);
  return { sid, cookie, until, close: () => controller.abort() };
}

describe("npm run admin -- sessions", () => {
  it("lists the user's live sessions (id, device, IP, times) and the account's state; --json for scripts", async () => {
    const { email, devices } = await userWithDevices(2);
    const listed = (await api.sessions(devices[0]!.access_token)).body.sessions;

    const human = await admin("sessions", email);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(email);
    expect(human.stdout).toMatch(/account\s+active/);
    expect(human.stdout).toContain("2 live sessions");
    for (const session of listed) expect(human.stdout).toContain(session.id);
    expect(human.stdout).toContain("Chrome on Mac OS");
    expect(human.stdout).toContain("Mobile Safari on iOS");
    expect(human.stdout).toContain(listed[0]!.ip!);

    const json = await admin("sessions", email.toUpperCase(), "--json");
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      user: { email: string; disabled: boolean };
      sessions: { id: string; ip: string; createdAt: string; lastActiveAt: string }[];
    };
    expect(parsed.user).toMatchObject({ email, disabled: false });
    expect(parsed.sessions.map((s) => s.id).sort()).toEqual(listed.map((s) => s.id).sort());
    expect(parsed.sessions[0]).toMatchObject({
      ip: listed[0]!.ip,
      createdAt: expect.any(String),
      lastActiveAt: expect.any(String),
    });
  });
});

describe("npm run admin -- revoke / revoke-all", () => {
  it("revoke: the running app refuses that session's token on its next request, pushes the open browser out, keeps the others", async () => {
    const { email, devices } = await userWithDevices(1);
    const browser = await browserWithStream(email);
    try {
      await new Promise((r) => setTimeout(r, 1_500)); // the app's pub/sub subscription is surely live

      const result = await admin("revoke", email, browser.sid);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Signed out session ${browser.sid}`);

      const signedOut = await browser.until(/event: signed-out\ndata: (.*)\n/, 5_000);
      expect(JSON.parse(signedOut[1]!)).toEqual({ reason: "admin" });
      const page = await fetch(`${api.baseUrl}/devices`, { headers: { cookie: browser.cookie }, redirect: "manual" });
      expect(page.status).toBe(307);
      expect(page.headers.get("location")).toContain("/login");
      expect((await api.me(devices[0]!.access_token)).status).toBe(200);
    } finally {
      browser.close();
    }
    const [row] = await query<{ revoked_reason: string; revoked_by: string | null }>(
      "SELECT revoked_reason, revoked_by FROM device_sessions WHERE id = $1",
      [browser.sid],
    );
    expect(row).toEqual({ revoked_reason: "revoked_by_admin", revoked_by: null });
  });

  it("revoke of an API device: /api/me refused at once, refresh refused", async () => {
    const { email, devices } = await userWithDevices(2);
    const [victim, other] = devices as [TokenBody, TokenBody];
    expect((await api.me(victim.access_token)).status).toBe(200); // cached as verified by the app

    expect((await admin("revoke", email, victim.session_id)).code).toBe(0);

    expect((await api.me(victim.access_token)).status).toBe(401);
    expect((await api.refresh(victim.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    expect((await api.me(other.access_token)).status).toBe(200);
  });

  it("revoke-all: every token of the user refused at once; signing in again works", async () => {
    const { email, devices } = await userWithDevices(3);
    const result = await admin("revoke-all", email, "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      command: "revoke-all",
      changed: true,
      revocationStore: "redis",
      stored: true,
      pushed: true,
    });
    for (const device of devices) {
      expect((await api.me(device.access_token)).status).toBe(401);
      expect((await api.refresh(device.refresh_token)).status).toBe(400);
    }
    expect((await api.me((await api.device(email, PASSWORD)).access_token)).status).toBe(200);
  });
});

describe("npm run admin -- disable / enable", () => {
  it("disable: tokens, refresh and sign-in refused (only the right password learns why); enable: sign-in works, old sessions stay dead", async () => {
    const { email, devices } = await userWithDevices(2);

    const disabled = await admin("disable", email, "--verbose");
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain(`Disabled ${email}`);
    // --verbose: the auth event as one JSON line on stderr.
    const logged = disabled.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ event: "user_disabled", kind: "auth", reason: "user_disabled", actorSessionId: null }),
    );

    for (const device of devices) {
      expect((await api.me(device.access_token)).status).toBe(401);
      expect((await api.refresh(device.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    }
    const right = await api.signIn(email, PASSWORD);
    expect(right.status).toBe(400);
    expect(right.body).toEqual({ error: "invalid_grant", error_description: "This account is disabled." });
    const wrong = await api.signIn(email, "not the password");
    const unknown = await api.signIn(uniqueEmail("ghost"), "not the password");
    expect(wrong.body).toEqual(unknown.body);
    const browser = await browserSignIn(api.baseUrl, email, PASSWORD);
    expect(decodeURIComponent(browser.body)).toContain("This account is disabled.");
    expect(browser.setCookieNames).not.toContain("rjs.session-token");

    const again = await admin("disable", email);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already disabled");

    const enabled = await admin("enable", email);
    expect(enabled.code, enabled.stderr).toBe(0);
    const fresh = await api.device(email, PASSWORD);
    expect((await api.me(fresh.access_token)).status).toBe(200);
    expect((await api.me(devices[0]!.access_token)).status).toBe(401);
    expect((await api.refresh(devices[0]!.refresh_token)).status).toBe(400);

    const audit = await query<{ type: string; actor_session_id: string | null }>(
      "SELECT e.type, e.actor_session_id FROM session_events e JOIN users u ON u.id = e.user_id WHERE u.email = $1 AND e.type IN ('user_disabled', 'user_enabled') ORDER BY e.id",
      [email],
    );
    expect(audit).toEqual([
      { type: "user_disabled", actor_session_id: null },
      { type: "user_enabled", actor_session_id: null },
    ]);
  });
});

describe("npm run admin: failures are one clear line and a non-zero exit code", () => {
  it.each([
    ["an unknown user", ["sessions", "nobody-here@example.com"], 1, /No user with the email nobody-here@example\.com/],
    [
      "an unknown session",
      ["revoke", "SEEDED", "AAAAAAAAAAAAAAAAAAAAAA"],
      1,
      /has no live session AAAAAAAAAAAAAAAAAAAAAA/,
    ],
    // Session ids are base64url: one in 32 begins with "-", and is still an id, not an option.
    [
      "a session id beginning with a dash",
      ["revoke", "SEEDED", "-AAAAAAAAAAAAAAAAAAAAA"],
      1,
      /has no live session -AAAAAAAAAAAAAAAAAAAAA/,
    ],
    ["an unknown command", ["frobnicate"], 2, /unknown command "frobnicate"/],
    ["a missing argument", ["revoke-all"], 2, /"revoke-all" takes <email>/],
    ["a malformed email", ["disable", "not-an-email"], 2, /valid email/],
  ])("%s", async (_label, args, code, message) => {
    const { email } = await userWithDevices(0);
    const result = await admin(...args.map((a) => (a === "SEEDED" ? email : a)));
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(expectOneLine(result.stderr)).toMatch(message);
  });

  it("with --json the failure is one JSON line", async () => {
    const result = await admin("revoke-all", "nobody-here@example.com", "--json");
    expect(result.code).toBe(1);
    expect(JSON.parse(expectOneLine(result.stderr))).toEqual({
      error: "not_found",
      message: expect.stringContaining("nobody-here@example.com"),
    });
  });

  it("help lists every command", async () => {
    const result = await admin("help");
    expect(result.code).toBe(0);
    for (const command of ["sessions", "revoke", "revoke-all", "disable", "enable"])
      expect(result.stdout).toContain(`  ${command} `);
  });
});

describe("npm run admin: the limits it is honest about", () => {
  it("the embedded database held by a running app: a clear refusal, nothing opened", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rjs-admin-pglite-"));
    try {
      // The lock file the app writes (src/server/db/pglite-lock.ts), owned by a live process: this one.
      await writeFile(`${dir}.lock`, String(process.pid));
      const result = await runScript("scripts/admin.ts", ["sessions", "someone@example.com"], {
        ...ops.env,
        DATABASE_URL: "",
        REDIS_URL: "",
        PGLITE_DATA_DIR: dir,
      });
      expect(result.code).toBe(1);
      expect(expectOneLine(result.stderr)).toMatch(
        /is in use by process \d+ .*Stop that process first, or point DATABASE_URL at PostgreSQL/,
      );
    } finally {
      await rm(`${dir}.lock`, { force: true });
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("PostgreSQL without Redis: refuses to revoke unless --force; with --force refresh is refused at once but issued access tokens live on (documented)", async () => {
    const { email, devices } = await userWithDevices(1);
    const [device] = devices as [TokenBody];
    const withoutRedis = { ...ops.env, REDIS_URL: "" };

    const refused = await runScript("scripts/admin.ts", ["revoke", email, device.session_id], withoutRedis);
    expect(refused.code).toBe(1);
    expect(expectOneLine(refused.stderr)).toMatch(/No Redis is configured.*--force/);
    const rotated = await api.refresh(device.refresh_token);
    expect(rotated.status).toBe(200); // nothing changed

    const forced = await runScript("scripts/admin.ts", ["revoke", email, device.session_id, "--force"], withoutRedis);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/accept access tokens they already issued for up to \d+ s/);
    expect((await api.refresh(rotated.body.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    // The app never heard of it (its revocation store is Redis, which this run did not write): the
    // access token issued before stays accepted until it expires. That is the documented limit.
    expect((await api.me(device.access_token)).status).toBe(200);
  });
});
