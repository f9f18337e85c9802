/**
 * The auth events in the running app's log: one JSON line per event with stable field names, read
 * from what `next start` printed, and never a password, token, hash or email in any line.
 * LOG_LEVEL=debug so that token refreshes (debug) are written too. Runs on any storage.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthEventFields } from "../../src/core/auth-events-log";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a new and longer passphrase";
const WRONG = "definitely-not-it";
let testApp: TestApp;
let api: Api;

beforeAll(async () => {
  // Real rate limits (scale 1), so that a run of wrong passwords ends in rate_limited.
  testApp = await startTestApp("authlog", { LOG_LEVEL: "debug", RATE_LIMIT_SCALE: "1" });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

/** A parsed log line: the logger's own fields and, for auth events, the fixed ones. */
type Line = AuthEventFields & { event: string; level: string; kind?: string };

describe("auth events in the app's log", () => {
  it("one JSON line per event, stable fields, no secret anywhere", async () => {
    const email = uniqueEmail("authlog");
    const { body } = await api.register(email, PASSWORD);
    const userId = body.user.id;
    expect((await api.signIn(email, WRONG)).status).toBe(400);
    const first = await api.device(email, PASSWORD);
    const second = await api.device(email, PASSWORD);
    const third = await api.device(email, PASSWORD);
    const rotated = await api.refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_500)); // past REFRESH_GRACE_SECONDS=3
    expect((await api.refresh(first.refresh_token)).status).toBe(400); // reuse: that session is signed out
    expect((await api.logout(second.access_token)).status).toBe(204);
    const changed = await api.changePassword(third.access_token, PASSWORD, NEW_PASSWORD);
    expect(changed.status).toBe(200);
    let limited = 0;
    for (let i = 0; i < 10 && limited === 0; i++) if ((await api.signIn(email, WRONG)).status === 429) limited++;
    expect(limited).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // the last lines reach the pipe

    const logs = testApp.app.logs;
    const jsonish = logs.split("\n").filter((line) => line.includes('"event"'));
    const lines = jsonish.map((line) => JSON.parse(line) as Line); // throws on a broken or merged line
    const auth = lines.filter((l) => l.kind === "auth" && (l.userId === userId || l.event === "rate_limited"));

    for (const line of auth)
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining([
          "time",
          "level",
          "event",
          "kind",
          "userId",
          "sessionId",
          "reason",
          "actorSessionId",
          "ip",
        ]),
      );
    const of = (event: string) => auth.filter((l) => l.event === event);
    expect(of("user_registered")).toHaveLength(1);
    expect(
      of("signed_in")
        .map((l) => l.sessionId)
        .sort(),
    ).toEqual([first, second, third].map((p) => p.session_id).sort());
    expect(of("signed_in")[0]!.ip).toBe("127.0.0.1");
    const failures = of("sign_in_failed");
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.every((l) => l.reason === "invalid_credentials" && l.userId === userId)).toBe(true);
    expect(of("token_refreshed")).toEqual([expect.objectContaining({ level: "debug", sessionId: first.session_id })]);
    expect(of("refresh_token_reused")).toEqual([
      expect.objectContaining({ level: "warn", sessionId: first.session_id }),
    ]);
    expect(of("session_revoked").map((l) => [l.sessionId, l.reason, l.actorSessionId])).toEqual([
      [first.session_id, "refresh_token_reused", null],
      [second.session_id, "logout", second.session_id],
    ]);
    expect(of("password_changed")).toEqual([
      expect.objectContaining({ sessionId: third.session_id, actorSessionId: third.session_id }),
    ]);
    expect(of("rate_limited")).toEqual([
      expect.objectContaining({ level: "warn", limit: "signInFailuresPerAccountAndIp", ip: "127.0.0.1" }),
    ]);

    for (const secret of [PASSWORD, NEW_PASSWORD, WRONG, email, "$argon2"]) expect(logs).not.toContain(secret);
    for (const pair of [first, second, third, rotated.body, changed.body]) {
      expect(logs).not.toContain(pair.access_token);
      expect(logs).not.toContain(pair.refresh_token);
      expect(logs).not.toContain(pair.refresh_token.split(".")[1]!); // the secret half alone
    }
  });
});

describe("next-auth's client log endpoint (POST /api/auth/_log)", () => {
  it("anyone may post to it, but what they send is written at debug level only, and cut short", async () => {
    const marker = `client-log-${Date.now().toString(36)}`;
    const statuses: number[] = [];
    for (const level of ["error", "warn", "info", "debug", "constructor"]) {
      const res = await fetch(`${testApp.app.url}/api/auth/_log`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          level,
          code: `${marker}-${level}-${"x".repeat(4000)}`,
          message: "y".repeat(4000),
          client: "true",
        }).toString(),
      });
      statuses.push(res.status);
    }
    await new Promise((r) => setTimeout(r, 300)); // the last lines reach the pipe
    const lines = testApp.app.logs.split("\n").filter((line) => line.includes(marker));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Line;
      expect(parsed.level, line.slice(0, 200)).toBe("debug");
      expect(line.length, line.slice(0, 200)).toBeLessThan(400);
    }
    expect(statuses).toEqual([204, 204, 204, 204, 204]);
  });
});
