import { describe, expect, it } from "vitest";
import { AuthError } from "@/core/errors";
import { makeEngine } from "../support/fakes";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const device = { ip: "203.0.113.9", userAgent: null };

async function liveSessionIds(made: Awaited<ReturnType<typeof makeEngine>>): Promise<string[]> {
  const user = [...made.users.rows.values()][0]!;
  return (await made.sessions.listActive(user.id, new Date(made.clock.now))).map((s) => s.id).sort();
}

async function refused(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

describe("MAX_SESSIONS_PER_USER", () => {
  it("a sign-in beyond the limit signs out the oldest by creation, even when it is the most recently active", async () => {
    const made = await makeEngine({ maxSessionsPerUser: 2 });
    const { engine, clock, store, notifier, events } = made;
    await engine.register({ email: EMAIL, password: PASSWORD });
    const oldest = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    clock.now += 60_000;
    const middle = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    clock.now += 60_000;
    const oldestRefreshed = await engine.refresh(oldest.refreshToken); // now the most recently active
    clock.now += 60_000;

    const newest = await engine.signIn({ email: EMAIL, password: PASSWORD }, device);

    expect(await liveSessionIds(made)).toEqual([middle.sessionId, newest.sessionId].sort());
    expect(await refused(engine.authenticate(oldestRefreshed.accessToken))).toBe("invalid_token");
    expect(await refused(engine.refresh(oldestRefreshed.refreshToken))).toBe("invalid_grant");
    await expect(engine.authenticate(newest.accessToken)).resolves.toBeTruthy();
    await expect(engine.authenticate(middle.accessToken)).resolves.toBeTruthy();
    // Through the fan-out: store, push, audit, with the reason.
    expect([...store.revoked]).toEqual([oldest.sessionId]);
    expect(notifier.notices.at(-1)).toMatchObject({
      type: "sessions_revoked",
      sessionIds: [oldest.sessionId],
      reason: "session_limit",
    });
    expect(events.events.at(-1)).toMatchObject({
      type: "session_revoked",
      sessionId: oldest.sessionId,
      reason: "session_limit",
      actorSessionId: null,
    });
  });

  it("concurrent sign-ins beyond the limit leave exactly the limit, all of them new sessions", async () => {
    const made = await makeEngine({ maxSessionsPerUser: 2 });
    await made.userWithDevices(2, EMAIL, PASSWORD);
    const before = await liveSessionIds(made);
    made.clock.now += 1_000; // the new ones are younger (ties in one millisecond are broken by id)

    const pairs = await Promise.all(
      Array.from({ length: 6 }, () => made.engine.signIn({ email: EMAIL, password: PASSWORD }, device)),
    );

    const live = await liveSessionIds(made);
    expect(live).toHaveLength(2);
    for (const id of live) expect(pairs.map((p) => p.sessionId)).toContain(id);
    for (const id of before) expect(live).not.toContain(id);
  });

  it("with a limit of 1, the last of several concurrent sign-ins survives, never none", async () => {
    const made = await makeEngine({ maxSessionsPerUser: 1 });
    await made.engine.register({ email: EMAIL, password: PASSWORD });
    const pairs = await Promise.all(
      Array.from({ length: 4 }, () => made.engine.signIn({ email: EMAIL, password: PASSWORD }, device)),
    );
    const live = await liveSessionIds(made);
    expect(live).toHaveLength(1);
    expect(pairs.map((p) => p.sessionId)).toContain(live[0]);
  });

  it("counts only live sessions: ended ones do not count and are not revoked again", async () => {
    const made = await makeEngine({ maxSessionsPerUser: 2 });
    const [first] = await made.userWithDevices(2, EMAIL, PASSWORD);
    await made.engine.logout(await made.engine.authenticate(first!.accessToken), "global");
    const revocationsBefore = made.events.events.filter((e) => e.type === "session_revoked").length;

    await made.engine.signIn({ email: EMAIL, password: PASSWORD }, device);
    await made.engine.signIn({ email: EMAIL, password: PASSWORD }, device);

    expect(await liveSessionIds(made)).toHaveLength(2);
    expect(made.events.events.filter((e) => e.type === "session_revoked")).toHaveLength(revocationsBefore);
  });

  it("is off by default: every sign-in keeps its session", async () => {
    const made = await makeEngine();
    await made.userWithDevices(5, EMAIL, PASSWORD);
    expect(await liveSessionIds(made)).toHaveLength(5);
    expect(made.notifier.notices).toEqual([]);
  });
});
