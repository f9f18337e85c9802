import { describe, expect, it } from "vitest";
import { logAuthEvent, type AuthEventFields } from "@/core/auth-events-log";
import { makeEngine, MemoryLogger } from "../support/fakes";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const device = { ip: "203.0.113.7", userAgent: "curl/8" };

describe("auth event log lines", () => {
  it("carry only the stable fields, whatever else the caller holds", () => {
    const logger = new MemoryLogger();
    const leaky = {
      userId: "u1",
      sessionId: "s1",
      password: "hunter22",
      refreshToken: "s1.secret",
      userAgent: "x",
    } as AuthEventFields;
    logAuthEvent(logger, "signed_in", leaky);
    expect(logger.lines).toEqual([
      {
        level: "info",
        event: "signed_in",
        fields: { kind: "auth", userId: "u1", sessionId: "s1", reason: null, actorSessionId: null, ip: null },
      },
    ]);
  });

  it("uses warn for reuse, limits and disables, and debug for refreshes", () => {
    const logger = new MemoryLogger();
    for (const type of [
      "refresh_token_reused",
      "rate_limited",
      "user_disabled",
      "token_refreshed",
      "session_revoked",
    ] as const)
      logAuthEvent(logger, type, {});
    expect(logger.lines.map((l) => `${l.event}:${l.level}`)).toEqual([
      "refresh_token_reused:warn",
      "rate_limited:warn",
      "user_disabled:warn",
      "token_refreshed:debug",
      "session_revoked:info",
    ]);
  });

  it("the engine writes one line per event, and never the email, password or a token", async () => {
    const logger = new MemoryLogger();
    const { engine, clock, config } = await makeEngine({}, 1000, logger);
    const user = await engine.register({ email: EMAIL, password: PASSWORD });
    await engine.signIn({ email: EMAIL, password: "wrong one" }, device).catch(() => undefined);
    await engine.signIn({ email: "ghost@example.com", password: "wrong one" }, device).catch(() => undefined);
    const first = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    const second = await engine.refresh(first.refreshToken);
    clock.now += (config.refreshGraceSeconds + 1) * 1000;
    await engine.refresh(first.refreshToken).catch(() => undefined); // reuse: signs the session out
    const other = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    await engine.logout(await engine.authenticate(other.accessToken), "local");

    const auth = logger.lines.filter((l) => l.fields.kind === "auth");
    expect(auth.map((l) => [l.event, l.fields.sessionId ?? null, l.fields.reason])).toEqual([
      ["user_registered", null, null],
      ["sign_in_failed", null, "invalid_credentials"],
      ["sign_in_failed", null, "invalid_credentials"],
      ["signed_in", first.sessionId, null],
      ["token_refreshed", first.sessionId, null],
      ["session_revoked", first.sessionId, "refresh_token_reused"],
      ["refresh_token_reused", first.sessionId, "refresh_token_reused"],
      ["signed_in", other.sessionId, null],
      ["session_revoked", other.sessionId, "logout"],
    ]);
    expect(auth[1]!.fields.userId).toBe(user.id); // a wrong password for a known account
    expect(auth[2]!.fields.userId).toBeNull(); // an unknown email: not written down
    expect(auth.at(-1)!.fields).toMatchObject({ actorSessionId: other.sessionId, userId: user.id });
    const text = JSON.stringify(logger.lines);
    for (const secret of [
      EMAIL,
      "ghost@example.com",
      PASSWORD,
      "wrong one",
      first.accessToken,
      first.refreshToken,
      second.refreshToken,
      "fake$",
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it("a refused attempt over a rate limit is one rate_limited line naming the limit", async () => {
    const logger = new MemoryLogger();
    const { engine } = await makeEngine({}, 1, logger);
    await engine.register({ email: EMAIL, password: PASSWORD });
    for (let i = 0; i < 6; i++)
      await engine.signIn({ email: EMAIL, password: "wrong one" }, device).catch(() => undefined);
    const limited = logger.lines.filter((l) => l.event === "rate_limited");
    expect(limited).toEqual([
      {
        level: "warn",
        event: "rate_limited",
        fields: expect.objectContaining({ limit: "signInFailuresPerAccountAndIp", ip: device.ip }),
      },
    ]);
  });
});
