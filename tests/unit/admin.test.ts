import { describe, expect, it } from "vitest";
import { createAdminOperations } from "@/core/admin";
import { endsSession } from "@/server/auth/sign-out-stream";
import { parseRevocationNotice } from "@/server/revocation/feed";
import { failure } from "../support/auth-failure";
import { makeEngine, MemoryLogger } from "../support/fakes";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const device = { ip: "198.51.100.4", userAgent: null };

async function setup(count = 2) {
  const logger = new MemoryLogger();
  const made = await makeEngine({}, 1000, logger);
  const pairs = await made.userWithDevices(count, EMAIL, PASSWORD);
  return { ...made, pairs, logger, admin: createAdminOperations(made.deps) };
}

describe("admin: looking at an account", () => {
  it("shows the account's state and its live sessions, never the password hash", async () => {
    const { admin, pairs } = await setup(2);
    const { user, sessions } = await admin.describe(" Ada@Example.com ");
    expect(user).toEqual({ id: expect.any(String), email: EMAIL, name: "Ada", disabledAt: null, sessionEpoch: 0 });
    expect(sessions.map((s) => s.id).sort()).toEqual(pairs.map((p) => p.sessionId).sort());
    expect(sessions[0]).toMatchObject({
      ip: "203.0.113.7",
      browser: "Chrome",
      createdAt: expect.any(Date),
      lastActiveAt: expect.any(Date),
    });
  });

  it("names an unknown user not_found and a malformed email invalid_request", async () => {
    const { admin } = await setup(0);
    expect((await failure(admin.describe("nobody@example.com"))).code).toBe("not_found");
    expect((await failure(admin.revokeAll("nobody@example.com"))).code).toBe("not_found");
    expect((await failure(admin.describe("not an email"))).code).toBe("invalid_request");
  });
});

describe("admin: signing sessions out", () => {
  it("revoke: that session's tokens are refused at once, the other device keeps working; audited with no actor", async () => {
    const { admin, engine, pairs, store, notifier, events } = await setup(2);
    const [victim, other] = pairs as [(typeof pairs)[0], (typeof pairs)[0]];

    const result = await admin.revokeSession(EMAIL, victim.sessionId);

    expect(result).toEqual({ stored: true, pushed: true });
    expect((await failure(engine.authenticate(victim.accessToken))).code).toBe("invalid_token");
    expect((await failure(engine.refresh(victim.refreshToken))).code).toBe("invalid_grant");
    await expect(engine.authenticate(other.accessToken)).resolves.toMatchObject({ sid: other.sessionId });
    expect(store.revoked.has(victim.sessionId)).toBe(true);
    expect(notifier.notices.at(-1)).toEqual({
      type: "sessions_revoked",
      userId: expect.any(String),
      sessionIds: [victim.sessionId],
      reason: "revoked_by_admin",
    });
    expect(events.events.at(-1)).toMatchObject({
      type: "session_revoked",
      sessionId: victim.sessionId,
      reason: "revoked_by_admin",
      actorSessionId: null,
    });
  });

  it("revoke: a session that is not one of the user's live ones is not_found and changes nothing", async () => {
    const { admin, engine, pairs, userWithDevices } = await setup(1);
    const [bob] = await userWithDevices(1, "bob@example.com", PASSWORD);
    expect((await failure(admin.revokeSession(EMAIL, bob!.sessionId))).code).toBe("not_found");
    expect((await failure(admin.revokeSession(EMAIL, "no-such-session"))).code).toBe("not_found");
    await expect(engine.authenticate(bob!.accessToken)).resolves.toBeTruthy();
    await admin.revokeSession(EMAIL, pairs[0]!.sessionId);
    expect((await failure(admin.revokeSession(EMAIL, pairs[0]!.sessionId))).code).toBe("not_found"); // already ended
  });

  it("revoke-all raises the epoch: every token refused in one write; a new sign-in works", async () => {
    const { admin, engine, pairs, store, events } = await setup(3);
    await admin.revokeAll(EMAIL);
    for (const pair of pairs) expect((await failure(engine.authenticate(pair.accessToken))).code).toBe("invalid_token");
    expect(store.epochs.size).toBe(1);
    expect(store.revoked.size).toBe(0);
    expect(events.events.at(-1)).toMatchObject({
      type: "session_revoked",
      sessionId: null,
      reason: "revoked_by_admin",
      actorSessionId: null,
    });
    const again = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    await expect(engine.authenticate(again.accessToken)).resolves.toMatchObject({ sv: 1 });
  });
});

describe("admin: disabling an account", () => {
  it("kills every token and refresh token at once (reason user_disabled), and blocks sign-in after the password only", async () => {
    const { admin, engine, pairs, notifier, events } = await setup(2);

    await admin.disable(EMAIL);

    for (const pair of pairs) {
      expect((await failure(engine.authenticate(pair.accessToken))).code).toBe("invalid_token");
      expect((await failure(engine.refresh(pair.refreshToken))).code).toBe("invalid_grant");
    }
    expect(notifier.notices.at(-1)).toMatchObject({
      type: "epoch_raised",
      reason: "user_disabled",
      keepSessionId: null,
    });
    expect(events.events.at(-1)).toMatchObject({ type: "user_disabled", sessionId: null, actorSessionId: null });

    const right = await failure(engine.signIn({ email: EMAIL, password: PASSWORD }, device));
    expect([right.code, right.message]).toEqual(["invalid_grant", "This account is disabled."]);
    // Someone guessing learns nothing: the same answer as for any wrong password or unknown email.
    const wrong = await failure(engine.signIn({ email: EMAIL, password: "guess" }, device));
    const unknown = await failure(engine.signIn({ email: "nobody@example.com", password: "guess" }, device));
    expect([wrong.code, wrong.message]).toEqual([unknown.code, unknown.message]);
    expect(wrong.message).toBe("Wrong email or password.");
  });

  it("a request authenticated just before the disable cannot get new tokens by changing the password", async () => {
    const { admin, engine, pairs, users } = await setup(1);
    const claims = await engine.authenticate(pairs[0]!.accessToken);
    const hashBefore = [...users.rows.values()][0]!.passwordHash;

    await admin.disable(EMAIL);

    expect(
      (
        await failure(
          engine.changePassword(
            claims,
            { currentPassword: PASSWORD, newPassword: "a brand new one" },
            { ip: null, userAgent: null },
          ),
        )
      ).code,
    ).toBe("invalid_grant");
    expect([...users.rows.values()][0]!.passwordHash).toBe(hashBefore);
  });

  it("is idempotent: a second disable changes nothing and raises the epoch once", async () => {
    const { admin, users } = await setup(1);
    expect(await admin.disable(EMAIL)).toEqual({ stored: true, pushed: true });
    expect(await admin.disable(EMAIL)).toBeNull();
    expect([...users.rows.values()][0]!.sessionEpoch).toBe(1);
  });

  it("enable allows sign-in again; the sessions the disable ended stay ended", async () => {
    const { admin, engine, pairs, events } = await setup(1);
    await admin.disable(EMAIL);
    expect(await admin.enable(EMAIL)).toBe(true);
    expect(await admin.enable(EMAIL)).toBe(false);
    expect(events.events.at(-1)).toMatchObject({ type: "user_enabled", sessionId: null, actorSessionId: null });

    const fresh = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    await expect(engine.authenticate(fresh.accessToken)).resolves.toBeTruthy();
    expect((await failure(engine.authenticate(pairs[0]!.accessToken))).code).toBe("invalid_token");
    expect((await failure(engine.refresh(pairs[0]!.refreshToken))).code).toBe("invalid_grant");
  });

  it("logs user_disabled, and a refused sign-in as sign_in_failed with reason account_disabled", async () => {
    const { admin, engine, logger, users } = await setup(0);
    const userId = [...users.rows.keys()][0];
    await admin.disable(EMAIL);
    await failure(engine.signIn({ email: EMAIL, password: PASSWORD }, device));
    const auth = logger.lines.filter((l) => l.fields.kind === "auth").map((l) => [l.event, l.fields.reason]);
    expect(auth).toEqual([
      ["user_registered", null],
      ["user_disabled", "user_disabled"],
      ["sign_in_failed", "account_disabled"],
    ]);
    expect(logger.lines.find((l) => l.event === "sign_in_failed")?.fields).toMatchObject({
      userId,
      ip: "198.51.100.4",
    });
  });
});

describe("the new sign-out reasons reach open browsers", () => {
  it.each([
    ["revoked_by_admin", "admin"],
    ["user_disabled", "disabled"],
    ["session_limit", "session_limit"],
  ] as const)(
    "a %s notice crosses Redis (parsed, not dropped) and signs the browser out with reason %s",
    (reason, shown) => {
      const me = { sub: "u1", sid: "s1", sv: 0 };
      const notice = parseRevocationNotice(
        JSON.stringify({ type: "sessions_revoked", userId: "u1", sessionIds: ["s1"], reason }),
      );
      expect(notice).not.toBeNull();
      expect(endsSession(notice!, me)).toBe(shown);
      expect(endsSession({ type: "epoch_raised", userId: "u1", epoch: 1, keepSessionId: null, reason }, me)).toBe(
        shown,
      );
    },
  );
});
