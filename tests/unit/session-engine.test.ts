import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { AuthError } from "@/core/errors";
import { makeEngine } from "../support/fakes";

function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  expect((error as AuthError).code).toBe(code);
}

describe("a user's devices sign out independently: the one signed out at once, the others never", () => {
  it("a logged-out device's token is refused at once while the other device keeps working", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [phone, laptop] = await userWithDevices(2);
    const phoneClaims = await engine.authenticate(phone!.accessToken);

    await engine.logout(phoneClaims, "local");

    await expectCode(engine.authenticate(phone!.accessToken), "invalid_token");
    await expectCode(engine.refresh(phone!.refreshToken), "invalid_grant");
    await expect(engine.authenticate(laptop!.accessToken)).resolves.toMatchObject({ sid: laptop!.sessionId });
    await expect(engine.refresh(laptop!.refreshToken)).resolves.toMatchObject({ sessionId: laptop!.sessionId });
  });

  it("two devices signing in and out in turn never invalidate each other", async () => {
    const { engine, userWithDevices } = await makeEngine();
    let [a, b] = await userWithDevices(2);
    for (let round = 0; round < 5; round++) {
      // A signs out and in again; B must be untouched, and the other way round.
      await engine.logout(await engine.authenticate(a!.accessToken), "local");
      await expect(engine.authenticate(b!.accessToken)).resolves.toBeTruthy();
      a = await engine.signIn({ email: "ada@example.com", password: "correct horse" }, { ip: null, userAgent: null });
      await expect(engine.authenticate(b!.accessToken)).resolves.toBeTruthy();
      b = await engine.refresh(b!.refreshToken);
      await expect(engine.authenticate(a.accessToken)).resolves.toBeTruthy();
      [a, b] = [b, a];
    }
    const sessions = await engine.listSessions(await engine.authenticate(a!.accessToken));
    expect(sessions).toHaveLength(2);
  });
});

describe("logging out", () => {
  it("'others' signs out every other device and keeps the caller", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [me, second, third] = await userWithDevices(3);
    const claims = await engine.authenticate(me!.accessToken);

    await engine.logout(claims, "others");

    await expect(engine.authenticate(me!.accessToken)).resolves.toBeTruthy();
    await expectCode(engine.authenticate(second!.accessToken), "invalid_token");
    await expectCode(engine.authenticate(third!.accessToken), "invalid_token");
    await expectCode(engine.refresh(third!.refreshToken), "invalid_grant");
    expect((await engine.listSessions(claims)).map((s) => s.id)).toEqual([me!.sessionId]);
  });

  it("'global' raises the epoch: every token, the caller's too, is refused, and new sign-ins work", async () => {
    const { engine, userWithDevices, notifier, store } = await makeEngine();
    const [me, other] = await userWithDevices(2);

    await engine.logout(await engine.authenticate(me!.accessToken), "global");

    for (const pair of [me!, other!]) {
      await expectCode(engine.authenticate(pair.accessToken), "invalid_token");
      await expectCode(engine.refresh(pair.refreshToken), "invalid_grant");
    }
    expect(store.epochs.size).toBe(1);
    expect(store.revoked.size).toBe(0); // one write for all sessions, not one per session
    expect(notifier.notices).toContainEqual(expect.objectContaining({ type: "epoch_raised", epoch: 1 }));
    const again = await engine.signIn(
      { email: "ada@example.com", password: "correct horse" },
      { ip: null, userAgent: null },
    );
    await expect(engine.authenticate(again.accessToken)).resolves.toMatchObject({ sv: 1 });
  });

  it("revoking a session of another user is 'not_found' and changes nothing", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [ada] = await userWithDevices(1);
    const [bob] = await userWithDevices(1, "bob@example.com");
    await expectCode(engine.revokeSession(await engine.authenticate(bob!.accessToken), ada!.sessionId), "not_found");
    await expect(engine.authenticate(ada!.accessToken)).resolves.toBeTruthy();
  });
});

describe("changing the password", () => {
  it("keeps this device (with a new pair), signs out the others, and retires the old password", async () => {
    const { engine, userWithDevices, device } = await makeEngine();
    const [me, other] = await userWithDevices(2);
    const claims = await engine.authenticate(me!.accessToken);

    const fresh = await engine.changePassword(
      claims,
      { currentPassword: "correct horse", newPassword: "battery staple" },
      device,
    );

    expect(fresh.sessionId).toBe(me!.sessionId);
    await expect(engine.authenticate(fresh.accessToken)).resolves.toMatchObject({ sid: me!.sessionId, sv: 1 });
    await expect(engine.refresh(fresh.refreshToken)).resolves.toMatchObject({ sessionId: me!.sessionId });
    await expectCode(engine.authenticate(me!.accessToken), "invalid_token"); // issued before: refused
    await expectCode(engine.refresh(me!.refreshToken), "invalid_grant");
    await expectCode(engine.authenticate(other!.accessToken), "invalid_token");
    await expectCode(engine.refresh(other!.refreshToken), "invalid_grant");
    await expectCode(engine.signIn({ email: "ada@example.com", password: "correct horse" }, device), "invalid_grant");
    await expect(engine.signIn({ email: "ada@example.com", password: "battery staple" }, device)).resolves.toBeTruthy();
  });

  it("with a wrong current password changes nothing", async () => {
    const { engine, userWithDevices, device } = await makeEngine();
    const [me, other] = await userWithDevices(2);
    await expectCode(
      engine.changePassword(
        await engine.authenticate(me!.accessToken),
        { currentPassword: "wrong one", newPassword: "battery staple" },
        device,
      ),
      "invalid_grant",
    );
    await expect(engine.authenticate(other!.accessToken)).resolves.toBeTruthy();
    await expect(engine.signIn({ email: "ada@example.com", password: "correct horse" }, device)).resolves.toBeTruthy();
  });
});

describe("refresh-token rotation", () => {
  it("rotates on every use and keeps the session id", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [first] = await userWithDevices(1);
    const second = await engine.refresh(first!.refreshToken);
    const third = await engine.refresh(second.refreshToken);
    expect(new Set([first!.refreshToken, second.refreshToken, third.refreshToken]).size).toBe(3);
    expect(third.sessionId).toBe(first!.sessionId);
    await expect(engine.authenticate(third.accessToken)).resolves.toMatchObject({ sid: first!.sessionId });
  });

  it("20 concurrent refreshes with one token all succeed with one successor", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [pair] = await userWithDevices(1);
    const results = await Promise.all(Array.from({ length: 20 }, () => engine.refresh(pair!.refreshToken)));
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    await expect(engine.refresh(results[0]!.refreshToken)).resolves.toBeTruthy();
  });

  it("a reused token outside the grace window revokes that session only", async () => {
    const { engine, userWithDevices, clock, events, config } = await makeEngine();
    const [victim, other] = await userWithDevices(2);
    const successor = await engine.refresh(victim!.refreshToken);
    clock.now += (config.refreshGraceSeconds + 1) * 1000;

    await expectCode(engine.refresh(victim!.refreshToken), "invalid_grant");

    await expectCode(engine.authenticate(successor.accessToken), "invalid_token");
    await expectCode(engine.refresh(successor.refreshToken), "invalid_grant");
    await expect(engine.authenticate(other!.accessToken)).resolves.toBeTruthy();
    expect(events.events).toContainEqual(
      expect.objectContaining({ type: "refresh_token_reused", sessionId: victim!.sessionId }),
    );
  });

  it("any earlier token of the chain, outside the grace window, revokes that session only", async () => {
    const { engine, userWithDevices, clock, events, config, notifier } = await makeEngine();
    const [victim, other] = await userWithDevices(2);
    const t1 = await engine.refresh(victim!.refreshToken);
    const t2 = await engine.refresh(t1.refreshToken);
    const t3 = await engine.refresh(t2.refreshToken);
    clock.now += (config.refreshGraceSeconds + 1) * 1000;

    await expectCode(engine.refresh(victim!.refreshToken), "invalid_grant"); // three generations back

    await expectCode(engine.authenticate(t3.accessToken), "invalid_token");
    await expectCode(engine.refresh(t3.refreshToken), "invalid_grant");
    await expect(engine.authenticate(other!.accessToken)).resolves.toBeTruthy();
    await expect(engine.refresh(other!.refreshToken)).resolves.toBeTruthy();
    expect(events.events).toContainEqual(
      expect.objectContaining({ type: "refresh_token_reused", sessionId: victim!.sessionId }),
    );
    expect(notifier.notices).toContainEqual(
      expect.objectContaining({ sessionIds: [victim!.sessionId], reason: "refresh_token_reused" }),
    );
  });

  it("a forged token naming a session id revokes nothing and records nothing", async () => {
    const { engine, userWithDevices, clock, events, config } = await makeEngine();
    const [victim] = await userWithDevices(1);
    const current = await engine.refresh(victim!.refreshToken);
    clock.now += (config.refreshGraceSeconds + 1) * 1000;
    const forged = [`${victim!.sessionId}.${"A".repeat(43)}`, `${victim!.sessionId}.${randomSecret()}`];
    // A token of the right shape with the last characters changed: genuine-looking, not genuine.
    forged.push(current.refreshToken.slice(0, -2) + (current.refreshToken.endsWith("AA") ? "BB" : "AA"));

    for (const token of forged) {
      const error = await engine.refresh(token).catch((e: AuthError) => e);
      expect(error).toMatchObject({ code: "invalid_grant" });
      expect((error as AuthError).details.reason).toBeUndefined();
    }

    await expect(engine.refresh(current.refreshToken)).resolves.toMatchObject({ sessionId: victim!.sessionId });
    expect(events.events.filter((e) => e.type === "refresh_token_reused")).toEqual([]);
  });

  it("an older token inside the grace window of the last rotation is refused without signing out", async () => {
    const { engine, userWithDevices, events } = await makeEngine();
    const [pair] = await userWithDevices(1);
    const t1 = await engine.refresh(pair!.refreshToken);
    const t2 = await engine.refresh(t1.refreshToken); // a tab raced through two rotations

    await expectCode(engine.refresh(pair!.refreshToken), "invalid_grant");

    await expect(engine.refresh(t2.refreshToken)).resolves.toMatchObject({ sessionId: pair!.sessionId });
    expect(events.events.filter((e) => e.type === "refresh_token_reused")).toEqual([]);
  });

  it("a token from before this session's password change is only invalid: the device that changed it stays in", async () => {
    const { engine, userWithDevices, clock, events, config, device } = await makeEngine();
    const [changer] = await userWithDevices(1);
    const t1 = await engine.refresh(changer!.refreshToken);
    const changed = await engine.changePassword(
      await engine.authenticate(t1.accessToken),
      { currentPassword: "correct horse", newPassword: "correct horse battery" },
      device,
    );
    clock.now += (config.refreshGraceSeconds + 1) * 1000;

    for (const old of [changer!.refreshToken, t1.refreshToken]) await expectCode(engine.refresh(old), "invalid_grant");

    await expect(engine.authenticate(changed.accessToken)).resolves.toBeTruthy();
    const next = await engine.refresh(changed.refreshToken);
    await engine.refresh(next.refreshToken);
    clock.now += (config.refreshGraceSeconds + 1) * 1000;
    await expectCode(engine.refresh(changed.refreshToken), "invalid_grant"); // its own chain: reuse
    expect(events.events.filter((e) => e.type === "refresh_token_reused")).toHaveLength(1);
  });

  it("inside the grace window, the old token gives the same successor", async () => {
    const { engine, userWithDevices, clock } = await makeEngine();
    const [pair] = await userWithDevices(1);
    const a = await engine.refresh(pair!.refreshToken);
    clock.now += 3000;
    const b = await engine.refresh(pair!.refreshToken);
    expect(b.refreshToken).toBe(a.refreshToken);
  });

  it("refuses garbage, idle and over-age sessions", async () => {
    const { engine, userWithDevices, clock, config } = await makeEngine();
    await expectCode(engine.refresh("not-a-token"), "invalid_grant");
    const [pair] = await userWithDevices(1);
    // Two characters changed (one time in 1024 the token already ends in "AA": then change them otherwise).
    const tampered = pair!.refreshToken.slice(0, -2) + (pair!.refreshToken.endsWith("AA") ? "QA" : "AA");
    await expectCode(engine.refresh(tampered), "invalid_grant");
    clock.now += (config.sessionIdleTtlSeconds + 1) * 1000;
    await expectCode(engine.refresh(pair!.refreshToken), "invalid_grant");
  });

  it("the absolute lifetime ends a session even when it is used every day", async () => {
    const { engine, userWithDevices, clock } = await makeEngine({
      sessionIdleTtlSeconds: 2 * 86400,
      sessionAbsoluteTtlSeconds: 5 * 86400,
    });
    let [pair] = await userWithDevices(1);
    for (let day = 0; day < 4; day++) {
      clock.now += 86400 * 1000;
      pair = await engine.refresh(pair!.refreshToken);
    }
    clock.now += 86400 * 1000 + 1000;
    await expectCode(engine.refresh(pair!.refreshToken), "invalid_grant");
  });
});

describe("the per-request check", () => {
  it("asks no database when the revocation store answers", async () => {
    const { engine, userWithDevices, sessions } = await makeEngine();
    const [pair] = await userWithDevices(1);
    const spy = vi.spyOn(sessions, "findById");
    await engine.authenticate(pair!.accessToken);
    expect(spy).not.toHaveBeenCalled();
  });

  it("falls back to the database when the store cannot answer, and still refuses revoked tokens", async () => {
    const { engine, userWithDevices, store } = await makeEngine();
    const [a, b] = await userWithDevices(2);
    store.mode = "down"; // the revocation write fails too: only the database knows
    await engine.logout(await engine.authenticate(a!.accessToken), "local");
    await expectCode(engine.authenticate(a!.accessToken), "invalid_token");
    await expect(engine.authenticate(b!.accessToken)).resolves.toBeTruthy();
    store.mode = "unsure";
    await expectCode(engine.authenticate(a!.accessToken), "invalid_token");
  });

  it("fails closed (temporarily_unavailable) when neither store nor database answers", async () => {
    const { engine, userWithDevices, store, sessions } = await makeEngine();
    const [pair] = await userWithDevices(1);
    store.mode = "down";
    sessions.down = true;
    await expectCode(engine.authenticate(pair!.accessToken), "temporarily_unavailable");
  });

  it("refuses expired tokens and accepts small clock skew", async () => {
    const { engine, userWithDevices, clock, config } = await makeEngine();
    const [pair] = await userWithDevices(1);
    clock.now += (config.accessTokenTtlSeconds + config.clockToleranceSeconds - 1) * 1000;
    await expect(engine.authenticate(pair!.accessToken)).resolves.toBeTruthy();
    clock.now += 2000;
    await expectCode(engine.authenticate(pair!.accessToken), "invalid_token");
  });
});

describe("RFC 7009 revocation", () => {
  it("revokes the session of a refresh token, or of an access token, and ignores garbage", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [a, b, c] = await userWithDevices(3);
    await engine.revokeToken(a!.refreshToken);
    await engine.revokeToken(b!.accessToken);
    await engine.revokeToken("garbage");
    await engine.revokeToken(a!.refreshToken); // twice is fine
    await expectCode(engine.authenticate(a!.accessToken), "invalid_token");
    await expectCode(engine.refresh(b!.refreshToken), "invalid_grant");
    await expect(engine.authenticate(c!.accessToken)).resolves.toBeTruthy();
  });
});

describe("accounts", () => {
  it("refuses a second account with the same email and the same error for unknown email or wrong password", async () => {
    const { engine, userWithDevices, device } = await makeEngine();
    await userWithDevices(0);
    await expectCode(engine.register({ email: "ada@example.com", password: "whatever123" }), "email_taken");
    const unknown = await engine
      .signIn({ email: "nobody@example.com", password: "x" }, device)
      .catch((e: AuthError) => e);
    const wrong = await engine.signIn({ email: "ada@example.com", password: "x" }, device).catch((e: AuthError) => e);
    expect(unknown).toEqual(wrong);
  });

  it("lists devices with browser, OS and the current one marked", async () => {
    const { engine, userWithDevices } = await makeEngine();
    const [a, b] = await userWithDevices(2);
    const list = await engine.listSessions(await engine.authenticate(b!.accessToken));
    expect(list).toHaveLength(2);
    expect(list.find((s) => s.current)?.id).toBe(b!.sessionId);
    expect(list.find((s) => s.id === a!.sessionId)).toMatchObject({
      browser: "Chrome",
      os: "Mac OS 10.15.7",
      ip: "203.0.113.7",
      current: false,
    });
  });
});

describe("a password change racing a log-out-everywhere", () => {
  it("never brings back the device that the completed log-out signed out", async () => {
    const { engine, userWithDevices, deps } = await makeEngine();
    const [changer, other] = await userWithDevices(2);
    const changerClaims = await engine.authenticate(changer!.accessToken);
    // The change has verified the password and is hashing the new one when the other device logs out everywhere.
    const realHash = deps.hasher.hash;
    deps.hasher.hash = async (password) => {
      await engine.logout(await engine.authenticate(other!.accessToken), "global");
      return realHash(password);
    };
    await expectCode(
      engine.changePassword(
        changerClaims,
        { currentPassword: "correct horse", newPassword: "battery staple" },
        { ip: null, userAgent: null },
      ),
      "invalid_grant",
    );
    await expectCode(engine.authenticate(changer!.accessToken), "invalid_token");
    await expectCode(engine.refresh(changer!.refreshToken), "invalid_grant");
  });
});
