import { describe, expect, it } from "vitest";
import { checkBrowserToken, resolveBrowserSession } from "@/server/auth/browser-session";
import { endsSession } from "@/server/auth/sign-out-stream";
import { makeEngine } from "../support/fakes";

describe("a browser's cookies -> its session", () => {
  it("is active while the access token is valid, and renewed through the refresh cookie when it has run out", async () => {
    const { engine, userWithDevices, clock, config } = await makeEngine();
    const [pair] = await userWithDevices(1);
    const cookies = { session: pair!.accessToken, refresh: pair!.refreshToken };
    expect(await resolveBrowserSession(engine, cookies, clock.now)).toMatchObject({
      kind: "active",
      claims: { sid: pair!.sessionId },
    });

    clock.now += (config.accessTokenTtlSeconds + 60) * 1000;
    const renewed = await resolveBrowserSession(engine, cookies, clock.now);
    expect(renewed).toMatchObject({ kind: "renewed", claims: { sid: pair!.sessionId } });
    if (renewed.kind !== "renewed") throw new Error("unreachable");
    expect(renewed.pair.refreshToken).not.toBe(pair!.refreshToken);
    // Another tab with the same old cookies inside the grace window: same successor, not a sign-out.
    const otherTab = await resolveBrowserSession(engine, cookies, clock.now);
    expect(otherTab).toMatchObject({ kind: "renewed", pair: { refreshToken: renewed.pair.refreshToken } });
  });

  it("is signed out with reason 'revoked' when the device was logged out, even with an expired token", async () => {
    const { engine, userWithDevices, clock, config } = await makeEngine();
    const [me, other] = await userWithDevices(2);
    await engine.revokeSession(await engine.authenticate(other!.accessToken), me!.sessionId);
    const cookies = { session: me!.accessToken, refresh: me!.refreshToken };
    expect(await resolveBrowserSession(engine, cookies, clock.now)).toEqual({ kind: "signed_out", reason: "revoked" });
    clock.now += (config.accessTokenTtlSeconds + 60) * 1000;
    expect(await resolveBrowserSession(engine, cookies, clock.now)).toEqual({ kind: "signed_out", reason: "revoked" });
  });

  it("is signed out with reason 'expired' after the idle timeout, and anonymous without cookies", async () => {
    const { engine, userWithDevices, clock, config } = await makeEngine();
    const [pair] = await userWithDevices(1);
    clock.now += (config.sessionIdleTtlSeconds + 1) * 1000;
    expect(
      await resolveBrowserSession(engine, { session: pair!.accessToken, refresh: pair!.refreshToken }, clock.now),
    ).toEqual({ kind: "signed_out", reason: "expired" });
    expect(await resolveBrowserSession(engine, {}, clock.now)).toEqual({ kind: "anonymous" });
  });

  it("fails closed when neither store nor database answers", async () => {
    const { engine, userWithDevices, clock, store, sessions } = await makeEngine();
    const [pair] = await userWithDevices(1);
    store.mode = "down";
    sessions.down = true;
    await expect(
      resolveBrowserSession(engine, { session: pair!.accessToken, refresh: pair!.refreshToken }, clock.now),
    ).rejects.toMatchObject({ code: "temporarily_unavailable" });
  });
});

describe("a session cookie's access token -> alive or signed out", () => {
  it("is active with the token's claims while the token is valid and its session live", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [pair] = await userWithDevices(1);
    expect(await checkBrowserToken(engine, pair!.accessToken)).toMatchObject({
      kind: "active",
      claims: { sid: pair!.sessionId },
    });
  });

  it("is signed out 'revoked' when the session was logged out or the user's epoch moved", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [me, other, third] = await userWithDevices(3);
    await engine.revokeSession(await engine.authenticate(other!.accessToken), me!.sessionId);
    expect(await checkBrowserToken(engine, me!.accessToken)).toEqual({ kind: "signed_out", reason: "revoked" });
    await engine.logout(await engine.authenticate(other!.accessToken), "global");
    expect(await checkBrowserToken(engine, third!.accessToken)).toEqual({ kind: "signed_out", reason: "revoked" });
  });

  it("is signed out 'expired' for an expired, missing, malformed or forged token", async () => {
    const { engine, userWithDevices, clock, config } = await makeEngine();
    const [pair] = await userWithDevices(1);
    const [header, payload] = pair!.accessToken.split(".");
    for (const token of [undefined, "", "not-a-jwt", `${header}.${payload}.${"A".repeat(86)}`]) {
      expect(await checkBrowserToken(engine, token), String(token)).toEqual({ kind: "signed_out", reason: "expired" });
    }
    clock.now += (config.accessTokenTtlSeconds + 60) * 1000;
    expect(await checkBrowserToken(engine, pair!.accessToken)).toEqual({ kind: "signed_out", reason: "expired" });
  });

  it("throws temporarily_unavailable when neither store nor database answers: an outage is not a sign-out", async () => {
    const { engine, userWithDevices, store, sessions } = await makeEngine();
    const [pair] = await userWithDevices(1);
    store.mode = "down";
    sessions.down = true;
    await expect(checkBrowserToken(engine, pair!.accessToken)).rejects.toMatchObject({
      code: "temporarily_unavailable",
    });
  });
});

describe("which pushed notices end a session", () => {
  const me = { sub: "u1", sid: "s1", sv: 2 };
  it("matches its own session, its user's epoch raises, and nothing else", () => {
    expect(
      endsSession({ type: "sessions_revoked", userId: "u1", sessionIds: ["s0", "s1"], reason: "revoked_by_user" }, me),
    ).toBe("revoked");
    expect(endsSession({ type: "sessions_revoked", userId: "u1", sessionIds: ["s1"], reason: "logout" }, me)).toBe(
      "logout",
    );
    expect(
      endsSession({ type: "sessions_revoked", userId: "u1", sessionIds: ["s2"], reason: "logout_others" }, me),
    ).toBeNull();
    expect(
      endsSession({ type: "sessions_revoked", userId: "u2", sessionIds: ["s1"], reason: "logout" }, me),
    ).toBeNull();
    expect(
      endsSession(
        { type: "epoch_raised", userId: "u1", epoch: 3, keepSessionId: null, reason: "logout_everywhere" },
        me,
      ),
    ).toBe("everywhere");
    expect(
      endsSession({ type: "epoch_raised", userId: "u1", epoch: 3, keepSessionId: "s9", reason: "password_change" }, me),
    ).toBe("revoked");
    expect(
      endsSession({ type: "epoch_raised", userId: "u1", epoch: 3, keepSessionId: "s1", reason: "password_change" }, me),
    ).toBeNull();
    expect(
      endsSession(
        { type: "epoch_raised", userId: "u1", epoch: 2, keepSessionId: null, reason: "logout_everywhere" },
        me,
      ),
    ).toBeNull();
  });

  it("tells a password reset and a deleted account apart from other sign-outs (their own words on /login)", () => {
    const reset = {
      type: "epoch_raised",
      userId: "u1",
      epoch: 3,
      keepSessionId: null,
      reason: "password_reset",
    } as const;
    expect(endsSession(reset, me)).toBe("password_reset");
    expect(endsSession({ ...reset, userId: "u2" }, me)).toBeNull();
    const deleted = {
      type: "epoch_raised",
      userId: "u1",
      epoch: Number.MAX_SAFE_INTEGER,
      keepSessionId: null,
      reason: "account_deleted",
    } as const;
    expect(endsSession(deleted, me)).toBe("account_deleted");
    expect(
      endsSession({ type: "sessions_revoked", userId: "u1", sessionIds: ["s1"], reason: "account_deleted" }, me),
    ).toBe("account_deleted");
  });
});
