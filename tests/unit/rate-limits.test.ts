import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuthError } from "@/core/errors";
import type { RateLimiter } from "@/core/ports";
import { RateLimitPolicy, scaleRateLimits } from "@/core/rate-limits";
import { makeEngine, silentLogger } from "../support/fakes";

const attacker = { ip: "198.51.100.66", userAgent: null };
const owner = { ip: "203.0.113.10", userAgent: null };

async function code(promise: Promise<unknown>) {
  return promise.then(
    () => "ok",
    (e: AuthError) => e.code,
  );
}

describe("rate limits", () => {
  it("stop password guessing from one address without locking the owner out from theirs", async () => {
    const { engine, clock } = await makeEngine({}, 1);
    await engine.register({ email: "ada@example.com", password: "correct horse" });
    for (let i = 0; i < 5; i++)
      expect(await code(engine.signIn({ email: "ada@example.com", password: `guess ${i}` }, attacker))).toBe(
        "invalid_grant",
      );
    const limited = await engine
      .signIn({ email: "ada@example.com", password: "correct horse" }, attacker)
      .catch((e: AuthError) => e);
    expect(limited).toMatchObject({ code: "rate_limited" });
    expect((limited as AuthError).details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await code(engine.signIn({ email: "ada@example.com", password: "correct horse" }, owner))).toBe("ok");
    clock.now += 16 * 60 * 1000; // the window is over
    expect(await code(engine.signIn({ email: "ada@example.com", password: "correct horse" }, attacker))).toBe("ok");
  });

  it("count wrong current passwords (password change) against the account's sign-in failure budget", async () => {
    const { engine } = await makeEngine({}, 1);
    await engine.register({ email: "ada@example.com", password: "correct horse" });
    const stolen = await engine.signIn({ email: "ada@example.com", password: "correct horse" }, attacker);
    const claims = await engine.authenticate(stolen.accessToken);
    const change = (currentPassword: string) =>
      engine.changePassword(claims, { currentPassword, newPassword: "battery staple" }, attacker);
    for (let i = 0; i < 5; i++) expect(await code(change(`guess ${i}`))).toBe("invalid_grant");

    const limited = await change("correct horse").catch((e: AuthError) => e);
    expect(limited).toMatchObject({ code: "rate_limited" });
    expect((limited as AuthError).details.retryAfterSeconds).toBeGreaterThan(0);
    // The same budget: sign-in from that address is locked too, and the password did not change.
    expect(await code(engine.signIn({ email: "ada@example.com", password: "correct horse" }, attacker))).toBe(
      "rate_limited",
    );
    expect(await code(engine.signIn({ email: "ada@example.com", password: "correct horse" }, owner))).toBe("ok");
  });

  it("refuse a password change once sign-in failures have spent the budget, even with the right password", async () => {
    const { engine } = await makeEngine({}, 1);
    await engine.register({ email: "ada@example.com", password: "correct horse" });
    const pair = await engine.signIn({ email: "ada@example.com", password: "correct horse" }, attacker);
    for (let i = 0; i < 5; i++)
      expect(await code(engine.signIn({ email: "ada@example.com", password: `guess ${i}` }, attacker))).toBe(
        "invalid_grant",
      );
    const claims = await engine.authenticate(pair.accessToken);
    expect(
      await code(
        engine.changePassword(claims, { currentPassword: "correct horse", newPassword: "battery staple" }, attacker),
      ),
    ).toBe("rate_limited");
  });

  it("cap the account's failures from all addresses together, password changes included", async () => {
    const { engine } = await makeEngine({}, 1);
    await engine.register({ email: "ada@example.com", password: "correct horse" });
    const pair = await engine.signIn({ email: "ada@example.com", password: "correct horse" }, owner);
    const claims = await engine.authenticate(pair.accessToken);
    for (let i = 0; i < 50; i++) {
      const from = { ip: `198.51.100.${i}`, userAgent: null };
      const attempt =
        i % 2
          ? engine.signIn({ email: "ada@example.com", password: `guess ${i}` }, from)
          : engine.changePassword(claims, { currentPassword: `guess ${i}`, newPassword: "battery staple" }, from);
      expect(await code(attempt)).toBe("invalid_grant");
    }
    expect(
      await code(
        engine.changePassword(
          claims,
          { currentPassword: "correct horse", newPassword: "battery staple" },
          { ip: "192.0.2.200", userAgent: null },
        ),
      ),
    ).toBe("rate_limited");
  });

  it("cap sign-in attempts per address, registrations per address and refreshes per session", async () => {
    const { engine } = await makeEngine({}, 1);
    for (let i = 0; i < 10; i++)
      await engine.register({ email: `u${i}@example.com`, password: "correct horse" }, owner);
    expect(await code(engine.register({ email: "u10@example.com", password: "correct horse" }, owner))).toBe(
      "rate_limited",
    );
    const results = [];
    for (let i = 0; i < 31; i++)
      results.push(await code(engine.signIn({ email: `nobody${i}@example.com`, password: "x" }, attacker)));
    expect(results.slice(0, 30).every((r) => r === "invalid_grant")).toBe(true);
    expect(results[30]).toBe("rate_limited");

    let pair = await engine.signIn({ email: "u1@example.com", password: "correct horse" }, owner);
    for (let i = 0; i < 30; i++) pair = await engine.refresh(pair.refreshToken);
    expect(await code(engine.refresh(pair.refreshToken))).toBe("rate_limited");
  });

  it("forged refresh tokens spend their sender's budget, never the session holder's", async () => {
    const { engine, clock } = await makeEngine({}, 1);
    await engine.register({ email: "ada@example.com", password: "correct horse" });
    let pair = await engine.signIn({ email: "ada@example.com", password: "correct horse" }, owner);
    const forged = () => `${pair.sessionId}.${randomBytes(32).toString("base64url")}`;

    const results = [];
    for (let i = 0; i < 31; i++) results.push(await code(engine.refresh(forged(), attacker)));
    expect(results.slice(0, 30).every((r) => r === "invalid_grant")).toBe(true);
    expect(results[30]).toBe("rate_limited");
    expect(await code(engine.refresh("not-a-token", attacker))).toBe("rate_limited");

    pair = await engine.refresh(pair.refreshToken, owner); // the holder is not held up
    expect(await code(engine.refresh(pair.refreshToken, attacker))).toBe("rate_limited"); // over budget: even a real token
    clock.now += 6 * 60 * 1000; // the window is over
    expect(await code(engine.refresh(forged(), attacker))).toBe("invalid_grant");
  });

  it("let people in when the limiter itself fails", async () => {
    const broken: RateLimiter = {
      hit: () => Promise.reject(new Error("down")),
      peek: () => Promise.reject(new Error("down")),
      reset: () => Promise.reject(new Error("down")),
    };
    const policy = new RateLimitPolicy(broken, scaleRateLimits(1), silentLogger);
    await expect(policy.beforeSignIn("1.2.3.4")).resolves.toBeUndefined();
    await expect(policy.beforePasswordCheck("ada@example.com", "1.2.3.4")).resolves.toBeUndefined();
    await expect(policy.passwordCheckFailed("ada@example.com", "1.2.3.4")).resolves.toBeUndefined();
  });
});
