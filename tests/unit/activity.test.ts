import { describe, expect, it } from "vitest";
import {
  createActivityFeed,
  decodeActivityCursor,
  describeActivity,
  encodeActivityCursor,
  HIDDEN_ACTIVITY_TYPES,
  type ActivityPage,
} from "@/core/activity";
import type { ActivityLog, ActivityRecord } from "@/core/ports";

const CURRENT = "current-session-id-0000";
const OTHER = "other-session-id-000000";
const at = new Date("2026-03-10T12:00:00.000Z");

function record(overrides: Partial<ActivityRecord>): ActivityRecord {
  return {
    id: "1",
    type: "signed_in",
    reason: null,
    sessionId: OTHER,
    actorSessionId: null,
    device: "Firefox on Linux",
    actorDevice: null,
    ip: "203.0.113.9",
    newDevice: false,
    mailUnverified: false,
    createdAt: at,
    ...overrides,
  };
}

const revocation = (reason: string | null, overrides: Partial<ActivityRecord> = {}) =>
  describeActivity(
    record({ type: "session_revoked", reason, actorSessionId: CURRENT, actorDevice: "Chrome on macOS", ...overrides }),
    CURRENT,
  );

describe("describeActivity: what happened, to which device, who did it, when", () => {
  it("account recovery events: titled, with the device that used the link, and the unverified-address mark", () => {
    const reset = describeActivity(
      record({ type: "password_reset", reason: "password_reset", mailUnverified: true }),
      CURRENT,
    );
    expect(reset).toMatchObject({
      title: "Password reset with an emailed link; every device was signed out",
      device: "Firefox on Linux",
      mailUnverified: true,
    });
    expect(describeActivity(record({ type: "password_reset_requested" }), CURRENT).title).toBe(
      "Password reset link requested",
    );
    expect(describeActivity(record({ type: "email_verified" }), CURRENT)).toMatchObject({
      title: "Email address verified",
      device: null,
    });
    expect(
      describeActivity(record({ type: "email_change_requested", actorSessionId: CURRENT }), CURRENT),
    ).toMatchObject({ title: "Email change requested", actor: "you, from this device" });
    expect(describeActivity(record({ type: "email_changed" }), CURRENT).title).toBe("Email address changed");
    expect(revocation("password_reset")).toMatchObject({
      title: "Signed out by a password reset",
      actor: "password reset",
    });
  });

  it("a sign-in names the device and IP, marks this device, and has no actor", () => {
    expect(describeActivity(record({}), CURRENT)).toEqual({
      id: "1",
      type: "signed_in",
      reason: null,
      title: "Signed in",
      device: "Firefox on Linux",
      thisDevice: false,
      ip: "203.0.113.9",
      actor: null,
      newDevice: false,
      mailUnverified: false,
      occurredAt: "2026-03-10T12:00:00.000Z",
    });
    expect(describeActivity(record({ sessionId: CURRENT }), CURRENT).thisDevice).toBe(true);
  });

  it("a sign-in from a new device says so", () => {
    const item = describeActivity(record({ newDevice: true }), CURRENT);
    expect(item.title).toBe("Signed in from a new device");
    expect(item.newDevice).toBe(true);
  });

  it('a revocation the user asked for is "you, from this device" or "you, from <their other device>"', () => {
    expect(revocation("revoked_by_user")).toMatchObject({
      title: "Device logged out",
      device: "Firefox on Linux",
      ip: "203.0.113.9",
      actor: "you, from this device",
    });
    expect(revocation("revoked_by_user", { actorSessionId: "third-session" }).actor).toBe("you, from Chrome on macOS");
    expect(revocation("revoked_by_user", { actorSessionId: "gone", actorDevice: null }).actor).toBe(
      "you, from a device no longer known",
    );
    expect(
      revocation("logout", { sessionId: "s", actorSessionId: "s", actorDevice: "Firefox on Linux" }),
    ).toMatchObject({ title: "Signed out", actor: "you, from Firefox on Linux" });
    expect(revocation("logout_others")).toMatchObject({
      title: "Logged out with “Log out other devices”",
      actor: "you, from this device",
    });
  });

  it('"log out everywhere" concerns every device, so it names none', () => {
    const item = revocation("logout_everywhere", { sessionId: "third-session", actorSessionId: "third-session" });
    expect(item).toMatchObject({
      title: "Logged out everywhere",
      actor: "you, from Chrome on macOS",
      device: null,
      ip: null,
      thisDevice: false,
    });
  });

  it.each([
    ["password_change", "Signed out by a password change", "password change"],
    ["refresh_token_reused", "Signed out: an old refresh token was used again", "refresh token reuse detected"],
    ["revoked_by_admin", "Signed out by an administrator", "an administrator"],
    ["user_disabled", "Signed out: the account was disabled", "an administrator"],
    ["session_limit", "Signed out because of the session limit", "the session limit"],
  ])("a revocation for %s is not credited to the user, whoever's session asked", (reason, title, actor) => {
    expect(revocation(reason)).toMatchObject({ title, actor, device: "Firefox on Linux" });
    expect(revocation(reason, { actorSessionId: null, actorDevice: null })).toMatchObject({ title, actor });
  });

  it("an unknown or missing reason gets a readable generic description", () => {
    expect(revocation("quota_exceeded")).toMatchObject({
      title: "Signed out",
      actor: "the system (quota exceeded)",
      reason: "quota_exceeded",
    });
    expect(revocation(null)).toMatchObject({ title: "Signed out", actor: "the system" });
  });

  it("a password change is the user's, names no single device", () => {
    const item = describeActivity(
      record({ type: "password_changed", reason: "password_change", sessionId: CURRENT, actorSessionId: CURRENT }),
      CURRENT,
    );
    expect(item).toMatchObject({
      title: "Password changed; every other device was signed out",
      actor: "you, from this device",
      device: null,
    });
  });

  it("two-factor events: turned on or off and new codes by the user's device; a recovery code names the device it signed in", () => {
    const by = (type: string) =>
      describeActivity(record({ type, actorSessionId: OTHER, actorDevice: "Chrome on macOS" }), CURRENT);
    expect(by("two_factor_enabled")).toMatchObject({
      title: "Two-factor authentication turned on",
      actor: "you, from Chrome on macOS",
      device: null,
    });
    expect(by("two_factor_disabled")).toMatchObject({ title: "Two-factor authentication turned off" });
    expect(by("recovery_codes_regenerated")).toMatchObject({ title: "New recovery codes made" });
    expect(describeActivity(record({ type: "recovery_code_used" }), CURRENT)).toMatchObject({
      title: "Signed in with a recovery code",
      device: "Firefox on Linux",
      ip: "203.0.113.9",
      actor: null,
    });
  });

  it("account creation, refresh-token reuse and unknown event types", () => {
    expect(
      describeActivity(record({ type: "user_registered", sessionId: null, device: null, ip: null }), CURRENT),
    ).toMatchObject({ title: "Account created", actor: null, device: null });
    expect(
      describeActivity(record({ type: "refresh_token_reused", reason: "refresh_token_reused" }), CURRENT),
    ).toMatchObject({ actor: "refresh token reuse detected" });
    expect(
      describeActivity(record({ type: "user_disabled", reason: "user_disabled", sessionId: null }), CURRENT),
    ).toMatchObject({
      title: "Account disabled; every device was signed out",
      actor: "an administrator",
      device: null,
    });
    expect(describeActivity(record({ type: "user_enabled", sessionId: null }), CURRENT)).toMatchObject({
      title: "Account enabled again",
      actor: "an administrator",
    });
    expect(describeActivity(record({ type: "mystery-thing" }), CURRENT)).toMatchObject({
      title: "Security event: mystery thing",
      actor: null,
    });
  });
});

describe("activity cursors", () => {
  it("round-trip, and are opaque URL-safe text", () => {
    for (const cursor of [
      { direction: "older", id: "1" },
      { direction: "newer", id: "9223372036854775807" },
    ] as const) {
      const text = encodeActivityCursor(cursor);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeActivityCursor(text)).toEqual(cursor);
    }
  });

  it.each([
    ["empty", ""],
    ["not base64url", "o:12"],
    ["a number", "12"],
    ["padding", `${encodeActivityCursor({ direction: "older", id: "12" })}=`],
    ["id 0", Buffer.from("o:0").toString("base64url")],
    ["leading zero", Buffer.from("o:012").toString("base64url")],
    ["beyond bigint", Buffer.from("o:9223372036854775808").toString("base64url")],
    ["unknown direction", Buffer.from("x:12").toString("base64url")],
    ["negative", Buffer.from("o:-1").toString("base64url")],
    ["trailing junk", Buffer.from("o:12;drop table").toString("base64url")],
    ["very long", "A".repeat(500)],
  ])("refuse %s", (_label, text) => {
    expect(decodeActivityCursor(text)).toBeNull();
  });
});

/** An in-memory event log with the adapter's semantics (ids increase with time). */
class MemoryActivityLog implements ActivityLog {
  readonly rows: ActivityRecord[] = [];
  private nextId = 1;
  add(count: number, overrides: Partial<ActivityRecord> = {}) {
    for (let i = 0; i < count; i++) this.rows.push(record({ id: String(this.nextId++), ...overrides }));
  }
  async list(_userId: string, query: Parameters<ActivityLog["list"]>[1]) {
    const from = query.from === null ? null : Number(query.from);
    const older = query.direction === "older";
    return this.rows
      .filter((row) => !query.hiddenTypes.includes(row.type))
      .filter((row) => from === null || (older ? Number(row.id) < from : Number(row.id) > from))
      .sort((a, b) => (older ? Number(b.id) - Number(a.id) : Number(a.id) - Number(b.id)))
      .slice(0, query.limit);
  }
}

describe("the activity feed's keyset pages", () => {
  const viewer = { userId: "u", sessionId: CURRENT };
  const ids = (page: ActivityPage) => page.items.map((item) => Number(item.id));

  it("walks older and back newer with no duplicate and no gap, even while events are added", async () => {
    const log = new MemoryActivityLog();
    log.add(45);
    const feed = createActivityFeed(log);

    const first = await feed.page(viewer, { cursor: null, limit: 20 });
    expect(ids(first)).toEqual(Array.from({ length: 20 }, (_, i) => 45 - i));
    expect(first.newerCursor).toBeNull();

    log.add(3); // new events while the user reads: the next page must not shift
    const second = await feed.page(viewer, { cursor: decodeActivityCursor(first.olderCursor!), limit: 20 });
    expect(ids(second)).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
    const third = await feed.page(viewer, { cursor: decodeActivityCursor(second.olderCursor!), limit: 20 });
    expect(ids(third)).toEqual([5, 4, 3, 2, 1]);
    expect(third.olderCursor).toBeNull();

    const back = await feed.page(viewer, { cursor: decodeActivityCursor(third.newerCursor!), limit: 20 });
    expect(ids(back)).toEqual(ids(second));
    const top = await feed.page(viewer, { cursor: decodeActivityCursor(back.newerCursor!), limit: 20 });
    expect(ids(top)).toEqual(ids(first));
    // The 3 added meanwhile are one "Newer" further up, then the top is reached.
    const newest = await feed.page(viewer, { cursor: decodeActivityCursor(top.newerCursor!), limit: 20 });
    expect(ids(newest)).toEqual([48, 47, 46]);
    expect(newest.newerCursor).toBeNull();
    expect(newest.olderCursor).not.toBeNull();
  });

  it("leaves hidden types out without breaking the pages", async () => {
    const log = new MemoryActivityLog();
    log.add(3);
    log.add(2, { type: HIDDEN_ACTIVITY_TYPES[0] });
    log.add(3);
    const feed = createActivityFeed(log);
    const first = await feed.page(viewer, { cursor: null, limit: 4 });
    expect(ids(first)).toEqual([8, 7, 6, 3]);
    const second = await feed.page(viewer, { cursor: decodeActivityCursor(first.olderCursor!), limit: 4 });
    expect(ids(second)).toEqual([2, 1]);
    expect(second.olderCursor).toBeNull();
  });

  it("one page only: no links; no events: an empty page", async () => {
    const log = new MemoryActivityLog();
    const feed = createActivityFeed(log);
    expect(await feed.page(viewer, { cursor: null, limit: 20 })).toEqual({
      items: [],
      olderCursor: null,
      newerCursor: null,
    });
    log.add(20);
    const page = await feed.page(viewer, { cursor: null, limit: 20 });
    expect(page.items).toHaveLength(20);
    expect(page).toMatchObject({ olderCursor: null, newerCursor: null });
  });

  it("a cursor past either end gives an empty page that links back", async () => {
    const log = new MemoryActivityLog();
    log.add(5);
    const feed = createActivityFeed(log);
    const beyond = await feed.page(viewer, { cursor: { direction: "newer", id: "99" }, limit: 20 });
    expect(beyond.items).toEqual([]);
    expect(ids(await feed.page(viewer, { cursor: decodeActivityCursor(beyond.olderCursor!), limit: 20 }))).toEqual([
      5, 4, 3, 2, 1,
    ]);
  });
});
