import { describe, expect, it } from "vitest";
import type { RevocationNotice, RevocationSnapshot } from "@/core/ports";
import { MemoryRevocationStore, remainingTtlSeconds } from "@/server/revocation/memory-store";
import { MemoryRevocationNotifier } from "@/server/revocation/memory-notifier";
import { parseRevocationNotice } from "@/server/revocation/feed";

function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("MemoryRevocationStore", () => {
  it("answers every check, and knows nothing at first", async () => {
    const store = new MemoryRevocationStore();
    expect(store.kind).toBe("memory");
    expect(await store.check("sid", "uid")).toEqual({ sessionRevoked: false, minEpoch: null });
  });

  it("refuses a revoked session, only that one", async () => {
    const store = new MemoryRevocationStore();
    await store.revokeSessions(["a", "b"], 60);
    expect(await store.check("a", "u")).toEqual({ sessionRevoked: true, minEpoch: null });
    expect(await store.check("b", "u")).toEqual({ sessionRevoked: true, minEpoch: null });
    expect(await store.check("c", "u")).toEqual({ sessionRevoked: false, minEpoch: null });
  });

  it("keeps the highest epoch when raised twice, whatever the order", async () => {
    const store = new MemoryRevocationStore();
    await store.raiseEpoch("u", 3, 60);
    await store.raiseEpoch("u", 2, 60);
    expect((await store.check("s", "u"))?.minEpoch).toBe(3);
    await store.raiseEpoch("u", 4, 60);
    expect((await store.check("s", "u"))?.minEpoch).toBe(4);
    expect((await store.check("s", "other"))?.minEpoch).toBeNull();
  });

  it("forgets revocations and epochs after their TTL", async () => {
    const clock = manualClock();
    const store = new MemoryRevocationStore(clock.now);
    await store.revokeSessions(["a"], 10);
    await store.raiseEpoch("u", 5, 10);
    clock.advance(9_999);
    expect(await store.check("a", "u")).toEqual({ sessionRevoked: true, minEpoch: 5 });
    clock.advance(1);
    expect(await store.check("a", "u")).toEqual({ sessionRevoked: false, minEpoch: null });
    // Read-expired entries are dropped at once.
    expect(store.size).toBe(0);
  });

  it("a raise refreshes the TTL, and after expiry a lower epoch may be set again", async () => {
    const clock = manualClock();
    const store = new MemoryRevocationStore(clock.now);
    await store.raiseEpoch("u", 5, 10);
    clock.advance(8_000);
    await store.raiseEpoch("u", 6, 10);
    clock.advance(8_000);
    expect((await store.check("s", "u"))?.minEpoch).toBe(6);
    clock.advance(2_000);
    expect((await store.check("s", "u"))?.minEpoch).toBeNull();
    await store.raiseEpoch("u", 1, 10);
    expect((await store.check("s", "u"))?.minEpoch).toBe(1);
  });

  it("re-revoking a session never shortens its life", async () => {
    const clock = manualClock();
    const store = new MemoryRevocationStore(clock.now);
    await store.revokeSessions(["a"], 100);
    await store.revokeSessions(["a"], 1);
    clock.advance(50_000);
    expect((await store.check("a", "u"))?.sessionRevoked).toBe(true);
  });

  it("sweeps expired entries lazily, so memory stays bounded by recent revocations", async () => {
    const clock = manualClock();
    const store = new MemoryRevocationStore(clock.now, { sweepEvery: 100 });
    // 10 000 revocations spread over time, each living 10 s: at most ~1 000 are live at once.
    for (let i = 0; i < 10_000; i++) {
      await store.revokeSessions([`s${i}`], 10);
      if (i % 2 === 0) await store.raiseEpoch(`u${i}`, 1, 10);
      clock.advance(10);
      // Live (< 10 s old): 1 000 sessions + 500 epochs. A sweep runs once the writes since the
      // last one reach half the entries, so at most about twice the live entries are held.
      expect(store.size).toBeLessThanOrEqual(2 * 1_500 + 100);
    }
    clock.advance(10_000);
    expect(store.sweep()).toBeGreaterThan(0);
    expect(store.size).toBe(0);
  });

  it("rejects a TTL that is not a positive number", async () => {
    const store = new MemoryRevocationStore();
    await expect(store.revokeSessions(["a"], 0)).rejects.toThrow(RangeError);
    await expect(store.raiseEpoch("u", 1, Number.NaN)).rejects.toThrow(RangeError);
  });

  describe("with a seed (warm-up after a restart)", () => {
    it("answers null until the database snapshot is loaded, then enforces it", async () => {
      const clock = manualClock();
      let release!: (snapshot: RevocationSnapshot) => void;
      let since: Date | null = null;
      const store = new MemoryRevocationStore(clock.now, {
        seed: {
          ttlSeconds: 60,
          loadSnapshot: (s) => {
            since = s;
            return new Promise((resolve) => (release = resolve));
          },
        },
      });
      expect(await store.check("a", "u")).toBeNull();
      expect(since).toEqual(new Date(clock.now() - 60_000));
      await store.revokeSessions(["written-meanwhile"], 60);
      release({
        sessions: [
          { sessionId: "a", userId: "u", revokedAt: new Date(clock.now() - 30_000) },
          { sessionId: "old", userId: "u", revokedAt: new Date(clock.now() - 61_000) },
        ],
        epochs: [{ userId: "u", epoch: 7, changedAt: new Date(clock.now() - 10_000) }],
      });
      await store.warmUp();
      expect(store.isReady).toBe(true);
      expect(await store.check("a", "u")).toEqual({ sessionRevoked: true, minEpoch: 7 });
      expect((await store.check("old", "x"))?.sessionRevoked).toBe(false);
      expect((await store.check("written-meanwhile", "x"))?.sessionRevoked).toBe(true);
      // The seeded entry lives until revokedAt + ttl, not ttl from now.
      clock.advance(30_000);
      expect((await store.check("a", "x"))?.sessionRevoked).toBe(false);
    });

    it("retries a failed load from a later check, not more often than retryMs", async () => {
      const clock = manualClock();
      let calls = 0;
      const store = new MemoryRevocationStore(clock.now, {
        seed: {
          ttlSeconds: 60,
          retryMs: 1000,
          loadSnapshot: async () => {
            calls++;
            if (calls === 1) throw new Error("db down");
            return { sessions: [], epochs: [] };
          },
        },
      });
      await store.warmUp();
      expect(store.isReady).toBe(false);
      expect(await store.check("a", "u")).toBeNull();
      expect(calls).toBe(1);
      clock.advance(1000);
      expect(await store.check("a", "u")).toBeNull();
      await store.warmUp();
      expect(calls).toBe(2);
      expect(await store.check("a", "u")).toEqual({ sessionRevoked: false, minEpoch: null });
    });
  });
});

describe("remainingTtlSeconds", () => {
  it("counts from the revocation, is capped at the TTL and is 0 once expired", () => {
    const now = 1_000_000;
    expect(remainingTtlSeconds(new Date(now - 10_000), 60, now)).toBe(50);
    expect(remainingTtlSeconds(new Date(now - 10_500), 60, now)).toBe(50);
    expect(remainingTtlSeconds(new Date(now + 30_000), 60, now)).toBe(60);
    expect(remainingTtlSeconds(new Date(now - 60_000), 60, now)).toBe(0);
    expect(remainingTtlSeconds(new Date(now - 90_000), 60, now)).toBe(0);
  });
});

describe("MemoryRevocationNotifier", () => {
  it("delivers to every subscriber until it unsubscribes; a throwing listener does not stop others", async () => {
    const errors: string[] = [];
    const feed = new MemoryRevocationNotifier({ info() {}, warn() {}, error: (event) => errors.push(event) });
    const a: unknown[] = [];
    const b: unknown[] = [];
    feed.subscribe(() => {
      throw new Error("boom");
    });
    const stopA = feed.subscribe((n) => a.push(n));
    feed.subscribe((n) => b.push(n));
    const notice: RevocationNotice = { type: "sessions_revoked", userId: "u", sessionIds: ["s"], reason: "logout" };
    await feed.publish(notice);
    stopA();
    await feed.publish({
      type: "epoch_raised",
      userId: "u",
      epoch: 2,
      keepSessionId: null,
      reason: "logout_everywhere",
    });
    expect(a).toEqual([notice]);
    expect(b).toHaveLength(2);
    expect(errors).toEqual(["revocation_listener_failed", "revocation_listener_failed"]);
    await feed.close();
    await feed.publish(notice);
    expect(b).toHaveLength(2);
  });
});

describe("parseRevocationNotice", () => {
  it("accepts the two notice shapes and nothing else", () => {
    expect(
      parseRevocationNotice('{"type":"sessions_revoked","userId":"u","sessionIds":["a"],"reason":"logout"}'),
    ).toEqual({
      type: "sessions_revoked",
      userId: "u",
      sessionIds: ["a"],
      reason: "logout",
    });
    expect(
      parseRevocationNotice(
        '{"type":"epoch_raised","userId":"u","epoch":3,"keepSessionId":"s","reason":"password_change","extra":1}',
      ),
    ).toEqual({
      type: "epoch_raised",
      userId: "u",
      epoch: 3,
      keepSessionId: "s",
      reason: "password_change",
    });
    for (const garbage of [
      "",
      "not json",
      "null",
      "[]",
      '"x"',
      '{"type":"sessions_revoked","userId":"u","sessionIds":[1]}',
      '{"type":"sessions_revoked","userId":"u"}',
      '{"type":"epoch_raised","userId":"u","epoch":1.5,"keepSessionId":null}',
      '{"type":"epoch_raised","userId":"u","epoch":1}',
      '{"type":"epoch_raised","userId":"","epoch":1,"keepSessionId":null}',
      '{"type":"other","userId":"u"}',
      '{"type":"sessions_revoked","userId":"u","sessionIds":["a"]}',
      '{"type":"sessions_revoked","userId":"u","sessionIds":["a"],"reason":"because"}',
    ]) {
      expect(parseRevocationNotice(garbage)).toBeNull();
    }
  });
});
