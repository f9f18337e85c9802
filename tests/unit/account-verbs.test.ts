/**
 * Account recovery, verified email, re-authentication and deletion, in the engine alone (fake
 * clock, repositories and mailer): the rules, not the transport. Over HTTP with a real SMTP server:
 * tests/integration/account-*.test.ts.
 */
import { describe, expect, it } from "vitest";
import { sha256 } from "@/core/crypto";
import { failure } from "../support/auth-failure";
import { makeEngine } from "../support/fakes";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const NEW_PASSWORD = "battery staple 2";
const ctx = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };

/** Work the engine does after answering (links and mail) settles within a few turns of the loop. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

async function setup(rateLimitScale = 1000) {
  const t = await makeEngine({}, rateLimitScale);
  const [device] = await t.userWithDevices(1, EMAIL, PASSWORD);
  const userId = [...t.users.rows.values()][0]!.id;
  const claims = () => t.engine.authenticate(device!.accessToken);
  async function resetLink(email = EMAIL) {
    await t.engine.requestPasswordReset({ email }, ctx);
    await settle();
    return t.mailer.last("password_reset_link", email)!.token;
  }
  return { ...t, device: device!, userId, claims, resetLink };
}

describe("password reset", () => {
  it("mails a 256-bit link only to an existing account, stores only its hash, and answers the same for unknown emails", async () => {
    const t = await setup();
    await expect(t.engine.requestPasswordReset({ email: "nobody@example.com" }, ctx)).resolves.toBeUndefined();
    const token = await t.resetLink();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(t.mailer.mails.filter((m) => m.kind === "password_reset_link").map((m) => m.to)).toEqual([EMAIL]);
    const stored = t.users.tokens.filter((r) => r.purpose === "password_reset");
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(t.users.tokens)).not.toContain(token);
    expect(stored[0]!.expiresAt.getTime() - t.clock.now).toBe(t.config.passwordResetTtlSeconds * 1000);
  });

  it("sets the password and signs every device out at once (epoch), pushing open browsers out", async () => {
    const t = await setup();
    const [second] = await Promise.all([t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx)]);
    const token = await t.resetLink();
    await t.engine.resetPassword({ token, newPassword: NEW_PASSWORD }, ctx);

    for (const pair of [t.device, second!]) {
      expect((await failure(t.engine.authenticate(pair.accessToken))).details.reason).toBe("revoked");
      expect((await failure(t.engine.refresh(pair.refreshToken))).code).toBe("invalid_grant");
    }
    expect(t.notifier.notices.at(-1)).toMatchObject({
      type: "epoch_raised",
      userId: t.userId,
      keepSessionId: null,
      reason: "password_reset",
    });
    expect((await failure(t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx))).code).toBe("invalid_grant");
    await expect(t.engine.signIn({ email: EMAIL, password: NEW_PASSWORD }, ctx)).resolves.toBeTruthy();
    expect(t.events.events.find((e) => e.type === "password_reset")).toMatchObject({
      userId: t.userId,
      reason: "password_reset",
      device: "Firefox on Linux",
      mailUnverified: true,
    });
    await settle();
    expect(t.mailer.last("password_reset_done", EMAIL)).toMatchObject({ ip: ctx.ip });
  });

  it("a link works once", async () => {
    const t = await setup();
    const token = await t.resetLink();
    await t.engine.resetPassword({ token, newPassword: NEW_PASSWORD }, ctx);
    const again = await failure(t.engine.resetPassword({ token, newPassword: "another one 3" }, ctx));
    expect(again.code).toBe("invalid_grant");
    await expect(t.engine.signIn({ email: EMAIL, password: NEW_PASSWORD }, ctx)).resolves.toBeTruthy();
  });

  it("a link expires after PASSWORD_RESET_TTL_SECONDS", async () => {
    const t = await setup();
    const token = await t.resetLink();
    t.clock.now += t.config.passwordResetTtlSeconds * 1000 + 1;
    expect((await failure(t.engine.resetPassword({ token, newPassword: NEW_PASSWORD }, ctx))).code).toBe(
      "invalid_grant",
    );
  });

  it("a newer link kills the older one", async () => {
    const t = await setup();
    const older = await t.resetLink();
    const newer = await t.resetLink();
    expect(newer).not.toBe(older);
    expect((await failure(t.engine.resetPassword({ token: older, newPassword: NEW_PASSWORD }, ctx))).code).toBe(
      "invalid_grant",
    );
    await t.engine.resetPassword({ token: newer, newPassword: NEW_PASSWORD }, ctx);
  });

  it("a password change by the signed-in owner kills a pending link", async () => {
    const t = await setup();
    const token = await t.resetLink();
    await t.engine.changePassword(await t.claims(), { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, ctx);
    expect((await failure(t.engine.resetPassword({ token, newPassword: "attacker pass 1" }, ctx))).code).toBe(
      "invalid_grant",
    );
  });

  it("text that was never issued is refused without a lookup, and refused links count against the address", async () => {
    const t = await setup(1);
    for (const token of ["x", "a".repeat(43), "../../etc/passwd", "a".repeat(44)]) {
      expect((await failure(t.engine.resetPassword({ token, newPassword: NEW_PASSWORD }, ctx))).code).toBe(
        "invalid_grant",
      );
    }
    // 30 refused links per address in 5 minutes (linkTokenFailuresPerIp), then 429 even for a good one.
    for (let i = 4; i < 30; i++) await failure(t.engine.verifyEmail("b".repeat(43), ctx));
    const limited = await failure(t.engine.verifyEmail("b".repeat(43), ctx));
    expect(limited.code).toBe("rate_limited");
    expect(limited.details.retryAfterSeconds).toBeGreaterThan(0);
    await expect(t.engine.verifyEmail("c".repeat(43), { ...ctx, ip: "198.51.100.1" })).rejects.toMatchObject({
      code: "invalid_grant",
    });
  });

  it("requests are limited per email, account or not, and per address", async () => {
    const t = await setup(1);
    for (let i = 0; i < 5; i++) await t.engine.requestPasswordReset({ email: "ghost@example.com" }, ctx);
    const perEmail = await failure(t.engine.requestPasswordReset({ email: "ghost@example.com" }, ctx));
    expect(perEmail.code).toBe("rate_limited");
    // Another email from the same address still works, up to the address's own limit (20 an hour).
    for (let i = 0; i < 14; i++) {
      await t.engine.requestPasswordReset({ email: `other${i}@example.com` }, ctx);
    }
    expect((await failure(t.engine.requestPasswordReset({ email: "x@example.com" }, ctx))).code).toBe("rate_limited");
    await expect(
      t.engine.requestPasswordReset({ email: "x@example.com" }, { ...ctx, ip: "198.51.100.1" }),
    ).resolves.toBeUndefined();
  });

  it("a disabled account gets no link", async () => {
    const t = await setup();
    await t.users.disable(t.userId, new Date(t.clock.now));
    await t.engine.requestPasswordReset({ email: EMAIL }, ctx);
    await settle();
    expect(t.mailer.last("password_reset_link")).toBeUndefined();
  });

  it("the request is in the activity, marked as mailed to an unverified address until the address is verified", async () => {
    const t = await setup();
    await t.resetLink();
    expect(t.events.events.at(-1)).toMatchObject({ type: "password_reset_requested", mailUnverified: true });
    await t.engine.verifyEmail(t.mailer.last("email_verification_link", EMAIL)!.token, ctx);
    await t.resetLink();
    expect(t.events.events.at(-1)).toMatchObject({ type: "password_reset_requested", mailUnverified: false });
  });
});

describe("email verification", () => {
  it("registration mails a link valid 24 hours; using it verifies the address, and the next token says so", async () => {
    const t = await setup();
    const mail = t.mailer.last("email_verification_link", EMAIL)!;
    expect(mail.expiresAt.getTime() - t.clock.now).toBe(24 * 3600 * 1000);
    expect((await t.claims()).email_verified).toBe(false);
    expect(t.engine.getUser(await t.claims()).emailVerified).toBe(false);

    await expect(t.engine.verifyEmail(mail.token, ctx)).resolves.toEqual({
      userId: t.userId,
      email: EMAIL,
      changed: false,
    });
    const renewed = await t.engine.refresh(t.device.refreshToken, ctx);
    const claims = await t.engine.authenticate(renewed.accessToken);
    expect(claims.email_verified).toBe(true);
    expect(t.engine.getUser(claims).emailVerified).toBe(true);
    expect((await failure(t.engine.verifyEmail(mail.token, ctx))).code).toBe("invalid_grant");
  });

  it("an expired link is refused", async () => {
    const t = await setup();
    t.clock.now += 24 * 3600 * 1000 + 1;
    expect((await failure(t.engine.verifyEmail(t.mailer.last("email_verification_link")!.token, ctx))).code).toBe(
      "invalid_grant",
    );
  });

  it("asking again sends a new link that kills the older one; limited; nothing once verified", async () => {
    const t = await setup(1);
    const first = t.mailer.last("email_verification_link")!.token;
    await t.engine.sendVerificationEmail(await t.claims());
    await settle();
    const second = t.mailer.last("email_verification_link")!.token;
    expect(second).not.toBe(first);
    expect((await failure(t.engine.verifyEmail(first, ctx))).code).toBe("invalid_grant");
    for (let i = 1; i < 5; i++) await t.engine.sendVerificationEmail(await t.claims());
    expect((await failure(t.engine.sendVerificationEmail(await t.claims()))).code).toBe("rate_limited");

    const verified = await setup();
    await verified.engine.verifyEmail(verified.mailer.last("email_verification_link")!.token, ctx);
    const before = verified.mailer.mails.length;
    await verified.engine.sendVerificationEmail(await verified.claims());
    await settle();
    expect(verified.mailer.mails).toHaveLength(before);
  });
});

describe("re-authentication (auth_time)", () => {
  it("sign-in sets auth_time; refreshes keep it; a password change renews it", async () => {
    const t = await setup();
    const signedInAt = Math.floor(t.clock.now / 1000);
    expect((await t.claims()).auth_time).toBe(signedInAt);
    t.clock.now += 20 * 60 * 1000;
    const renewed = await t.engine.refresh(t.device.refreshToken, ctx);
    expect((await t.engine.authenticate(renewed.accessToken)).auth_time).toBe(signedInAt);
    const changed = await t.engine.changePassword(
      await t.engine.authenticate(renewed.accessToken),
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      ctx,
    );
    expect((await t.engine.authenticate(changed.accessToken)).auth_time).toBe(Math.floor(t.clock.now / 1000));
  });

  it("an irreversible change needs the password, or a sign-in at most REAUTH_MAX_AGE_SECONDS old", async () => {
    const t = await setup();
    await expect(t.engine.changeEmail(await t.claims(), { newEmail: "new@example.com" }, ctx)).resolves.toBeUndefined();

    // Eleven minutes later, on a refreshed token (a refresh keeps auth_time): the password is needed.
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const renewed = await t.engine.authenticate((await t.engine.refresh(t.device.refreshToken, ctx)).accessToken);
    const stale = await failure(t.engine.changeEmail(renewed, { newEmail: "new@example.com" }, ctx));
    expect(stale.code).toBe("insufficient_user_authentication");
    expect(stale.details.maxAgeSeconds).toBe(600);
    expect((await failure(t.engine.deleteAccount(renewed, {}, ctx))).code).toBe("insufficient_user_authentication");

    await expect(
      t.engine.changeEmail(renewed, { newEmail: "new@example.com", password: PASSWORD }, ctx),
    ).resolves.toBeUndefined();
  });

  it("a wrong password is refused even with a recent sign-in, and spends the sign-in failure budget", async () => {
    const t = await setup(1);
    for (let i = 0; i < 5; i++) {
      const wrong = await failure(t.engine.deleteAccount(await t.claims(), { password: "wrong guess" }, ctx));
      expect(wrong.code).toBe("invalid_grant");
      expect(wrong.details.fields).toEqual({ password: ["The password is wrong."] });
    }
    // Five failures per account and address: now even the right password waits, here and at sign-in.
    expect((await failure(t.engine.deleteAccount(await t.claims(), { password: PASSWORD }, ctx))).code).toBe(
      "rate_limited",
    );
    expect((await failure(t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx))).code).toBe("rate_limited");
    expect(t.users.rows.has(t.userId)).toBe(true);
  });
});

describe("email change", () => {
  it("mails a link to the new address and a notice to the old one; the address changes only when the link is used", async () => {
    const t = await setup();
    await t.engine.changeEmail(await t.claims(), { newEmail: "ada.new@example.com", password: PASSWORD }, ctx);
    await settle();
    const link = t.mailer.last("email_change_link", "ada.new@example.com")!;
    expect(link).toMatchObject({ oldEmail: EMAIL });
    expect(t.mailer.last("email_change_requested", EMAIL)).toMatchObject({ newEmail: "ada.new@example.com" });
    expect(t.users.rows.get(t.userId)!.email).toBe(EMAIL);
    expect(t.events.events.at(-1)).toMatchObject({ type: "email_change_requested", mailUnverified: true });

    await expect(t.engine.verifyEmail(link.token, ctx)).resolves.toEqual({
      userId: t.userId,
      email: "ada.new@example.com",
      changed: true,
    });
    expect(t.users.rows.get(t.userId)).toMatchObject({ email: "ada.new@example.com" });
    expect(t.users.rows.get(t.userId)!.emailVerifiedAt).not.toBeNull();
    await settle();
    expect(t.mailer.last("email_changed", EMAIL)).toMatchObject({ newEmail: "ada.new@example.com" });
    expect((await failure(t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx))).code).toBe("invalid_grant");
    await expect(t.engine.signIn({ email: "ada.new@example.com", password: PASSWORD }, ctx)).resolves.toBeTruthy();
  });

  it("a taken address answers the same but gets no link", async () => {
    const t = await setup();
    await t.engine.register({ email: "taken@example.com", password: PASSWORD });
    await expect(
      t.engine.changeEmail(await t.claims(), { newEmail: "taken@example.com", password: PASSWORD }, ctx),
    ).resolves.toBeUndefined();
    await settle();
    expect(t.mailer.last("email_change_link")).toBeUndefined();
    expect(t.mailer.last("email_change_requested", EMAIL)).toBeTruthy();
  });

  it("the current address is refused as the new one", async () => {
    const t = await setup();
    const same = await failure(t.engine.changeEmail(await t.claims(), { newEmail: EMAIL, password: PASSWORD }, ctx));
    expect(same.code).toBe("invalid_request");
    expect(same.details.fields).toHaveProperty("newEmail");
  });

  it("links sent to the old address die with it (a pending password reset)", async () => {
    const t = await setup();
    const reset = await t.resetLink();
    await t.engine.changeEmail(await t.claims(), { newEmail: "ada.new@example.com", password: PASSWORD }, ctx);
    await settle();
    await t.engine.verifyEmail(t.mailer.last("email_change_link")!.token, ctx);
    expect((await failure(t.engine.resetPassword({ token: reset, newPassword: NEW_PASSWORD }, ctx))).code).toBe(
      "invalid_grant",
    );
  });

  it("an address another account took meanwhile: the change is not made", async () => {
    const t = await setup();
    await t.engine.changeEmail(await t.claims(), { newEmail: "race@example.com", password: PASSWORD }, ctx);
    await settle();
    await t.engine.register({ email: "race@example.com", password: PASSWORD });
    const taken = await failure(t.engine.verifyEmail(t.mailer.last("email_change_link")!.token, ctx));
    expect(taken.code).toBe("email_taken");
    expect(t.users.rows.get(t.userId)!.email).toBe(EMAIL);
  });
});

describe("account deletion", () => {
  it("refuses every token of the user at once, pushes browsers out, removes the rows, says goodbye", async () => {
    const t = await setup();
    const other = await t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx);
    await t.engine.deleteAccount(await t.claims(), { password: PASSWORD }, ctx);

    for (const pair of [t.device, other]) {
      expect((await failure(t.engine.authenticate(pair.accessToken))).details.reason).toBe("revoked");
      expect((await failure(t.engine.refresh(pair.refreshToken))).code).toBe("invalid_grant");
    }
    expect(t.store.revoked).toEqual(new Set([t.device.sessionId, other.sessionId]));
    expect(t.notifier.notices.at(-1)).toMatchObject({
      type: "epoch_raised",
      userId: t.userId,
      keepSessionId: null,
      reason: "account_deleted",
    });
    expect(t.users.rows.has(t.userId)).toBe(false);
    expect([...t.sessions.rows.values()].some((s) => s.userId === t.userId)).toBe(false);
    await settle();
    expect(t.mailer.last("account_deleted", EMAIL)).toBeTruthy();

    // The same email can register again: a new account, nothing of the old one.
    const again = await t.engine.register({ email: EMAIL, password: NEW_PASSWORD });
    expect(again.id).not.toBe(t.userId);
    const fresh = await t.engine.signIn({ email: EMAIL, password: NEW_PASSWORD }, ctx);
    expect(await t.engine.listSessions(await t.engine.authenticate(fresh.accessToken))).toHaveLength(1);
  });
});

describe("new-device alerts to an unverified address", () => {
  it("still go out, and the sign-in says so in the activity", async () => {
    const t = await setup();
    await t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx); // Firefox on Linux: new
    await settle();
    expect(t.mailer.sent).toHaveLength(1);
    expect(t.events.events.filter((e) => e.type === "signed_in").at(-1)).toMatchObject({
      newDevice: true,
      mailUnverified: true,
    });
  });
});
