/**
 * Two-factor sign-in with TOTP and recovery codes, in the engine alone (fake clock, repositories
 * and mailer): the rules, not the transport. Over HTTP: tests/integration/two-factor.test.ts.
 */
import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { MFA_CHALLENGE_TTL_SECONDS, TOTP_SETUP_TTL_SECONDS } from "@/core/two-factor";
import { normaliseRecoveryCode, recoveryCodeHash } from "@/core/totp";
import { failure } from "../support/auth-failure";
import { makeEngine } from "../support/fakes";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const ctx = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };

/** Work the engine does after answering (mail) settles within a few turns of the loop. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

async function setup(rateLimitScale = 1000) {
  const t = await makeEngine({}, rateLimitScale);
  const [device] = await t.userWithDevices(1, EMAIL, PASSWORD);
  const userId = [...t.users.rows.values()][0]!.id;
  const claims = () => t.engine.authenticate(device!.accessToken);
  /** The code an authenticator app shows for `secret`, `offsetSeconds` from the fake clock's now. */
  const code = (secret: string, offsetSeconds = 0) =>
    generateSync({ secret, epoch: Math.floor(t.clock.now / 1000) + offsetSeconds });
  /** Waits for the next 30-second step, so a fresh code is not one already used. */
  const nextStep = () => {
    t.clock.now += 30_000;
  };
  async function turnOn() {
    const { secret } = await t.engine.beginTotpSetup(await claims(), {}, ctx);
    const { recoveryCodes } = await t.engine.confirmTotp(await claims(), { code: code(secret) }, ctx);
    nextStep();
    return { secret, recoveryCodes };
  }
  /** The password step of a sign-in with TOTP on: the mfa_token it answers. */
  async function passwordStep(deviceName?: string) {
    const error = await failure(t.engine.signIn({ email: EMAIL, password: PASSWORD, deviceName }, ctx));
    expect(error.code).toBe("mfa_required");
    return error.details.mfaToken!;
  }
  const liveSessions = async () => (await t.sessions.listActive(userId, new Date(t.clock.now))).length;
  return { ...t, device: device!, userId, claims, code, nextStep, turnOn, passwordStep, liveSessions };
}

describe("setting up TOTP", () => {
  it("answers a secret and its otpauth URI, stores it sealed, and changes nothing for sign-in until confirmed", async () => {
    const t = await setup();
    const { secret, otpauthUri } = await t.engine.beginTotpSetup(await t.claims(), {}, ctx);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/${encodeURIComponent(t.config.appName)}:${encodeURIComponent(EMAIL)}?secret=${secret}&issuer=${encodeURIComponent(t.config.appName)}`,
    );
    const stored = t.twoFactor.totp.get(t.userId)!;
    expect(stored.enabledAt).toBeNull();
    expect(stored.secretSealed).not.toContain(secret);
    expect(t.deps.secrets.open(stored.secretSealed)).toBe(secret);
    await expect(t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx)).resolves.toBeTruthy();
    expect(await t.engine.twoFactorStatus(await t.claims())).toEqual({ enabled: false, recoveryCodesLeft: 0 });
  });

  it("a right code turns it on with ten distinct recovery codes (50 bits each), stored hashed; event and mail", async () => {
    const t = await setup();
    const { recoveryCodes } = await t.turnOn();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    const stored = [...t.twoFactor.recoveryCodes.get(t.userId)!.keys()];
    expect(stored.sort()).toEqual(recoveryCodes.map(recoveryCodeHash).sort());
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!.replace("-", ""));
    expect(await t.engine.twoFactorStatus(await t.claims())).toEqual({ enabled: true, recoveryCodesLeft: 10 });
    expect(t.users.rows.get(t.userId)!.twoFactorEnabled).toBe(true);
    expect(t.events.events.find((e) => e.type === "two_factor_enabled")).toMatchObject({
      userId: t.userId,
      ip: ctx.ip,
    });
    await settle();
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({ change: "two_factor_enabled" });
  });

  it("a wrong code does not turn it on (invalid_grant on the field code)", async () => {
    const t = await setup();
    const { secret } = await t.engine.beginTotpSetup(await t.claims(), {}, ctx);
    const wrong = String((Number(t.code(secret)) + 1) % 1_000_000).padStart(6, "0");
    for (const code of [wrong, "abc", ""]) {
      const error = await failure(t.engine.confirmTotp(await t.claims(), { code }, ctx));
      expect(error.code).toBe("invalid_grant");
      expect(error.details.fields?.code).toBeTruthy();
    }
    expect(t.users.rows.get(t.userId)!.twoFactorEnabled).toBe(false);
  });

  it("a set-up not confirmed within 15 minutes must be started again", async () => {
    const t = await setup();
    const { secret } = await t.engine.beginTotpSetup(await t.claims(), {}, ctx);
    t.clock.now += (TOTP_SETUP_TTL_SECONDS + 1) * 1000;
    const claims = await t.engine.authenticate(
      (await t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx)).accessToken,
    );
    expect((await failure(t.engine.confirmTotp(claims, { code: t.code(secret) }, ctx))).code).toBe("conflict");
    expect(t.users.rows.get(t.userId)!.twoFactorEnabled).toBe(false);
  });

  it("needs a recent sign-in or the right password; refuses a second set-up while on", async () => {
    const t = await setup();
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const old = await t.engine.authenticate((await t.engine.refresh(t.device.refreshToken)).accessToken);
    expect((await failure(t.engine.beginTotpSetup(old, {}, ctx))).code).toBe("insufficient_user_authentication");
    expect((await failure(t.engine.beginTotpSetup(old, { password: "wrong" }, ctx))).code).toBe("invalid_grant");
    await expect(t.engine.beginTotpSetup(old, { password: PASSWORD }, ctx)).resolves.toBeTruthy();
    const fresh = await setup();
    await fresh.turnOn();
    expect((await failure(fresh.engine.beginTotpSetup(await fresh.claims(), {}, ctx))).code).toBe("conflict");
  });
});

describe("signing in with TOTP on", () => {
  it("the password alone makes no session: mfa_required with a single-use 256-bit token, stored hashed, for 5 minutes", async () => {
    const t = await setup();
    await t.turnOn();
    const before = await t.liveSessions();
    const token = await t.passwordStep("Work laptop");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.liveSessions()).toBe(before);
    const [challenge] = [...t.challenges.rows.values()];
    expect(challenge).toMatchObject({ purpose: "mfa", userId: t.userId, epoch: 0, deviceName: "Work laptop" });
    expect(JSON.stringify([...t.challenges.rows])).not.toContain(token);
    expect(challenge!.expiresAt.getTime() - t.clock.now).toBe(MFA_CHALLENGE_TTL_SECONDS * 1000);
  });

  it("a right code completes it: a session with amr pwd+otp+mfa and the device name asked for; the token works once", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const before = await t.liveSessions();
    const token = await t.passwordStep("Work laptop");
    const pair = await t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx);
    const claims = await t.engine.authenticate(pair.accessToken);
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(claims.two_factor).toBe(true);
    expect(await t.liveSessions()).toBe(before + 1);
    expect((await t.sessions.findById(pair.sessionId))!.deviceName).toBe("Work laptop");
    t.nextStep();
    const again = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(again.code).toBe("invalid_grant");
    expect(await t.liveSessions()).toBe(before + 1);
  });

  it("never accepts a time step twice, even on a new sign-in", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const code = t.code(secret);
    await t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: code }, ctx);
    const replay = await failure(t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: code }, ctx));
    expect(replay.code).toBe("invalid_grant");
    expect(replay.message).toMatch(/used already/);
  });

  it("accepts the code of the step just before or after now (drift), not two steps away", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    await expect(
      t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: t.code(secret, -30) }, ctx),
    ).rejects.toThrow(/used already/); // the step before now was the one that turned it on (turnOn moved the clock one step)
    t.nextStep();
    await expect(
      t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: t.code(secret, -30) }, ctx),
    ).resolves.toBeTruthy();
    t.nextStep();
    await expect(
      t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: t.code(secret, 30) }, ctx),
    ).resolves.toBeTruthy();
    t.nextStep();
    t.nextStep();
    t.nextStep();
    for (const offset of [-60, 60]) {
      const error = await failure(
        t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: t.code(secret, offset) }, ctx),
      );
      expect(error.message).toMatch(/wrong/);
    }
  });

  it("the challenge expires after 5 minutes", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const token = await t.passwordStep();
    t.clock.now += MFA_CHALLENGE_TTL_SECONDS * 1000 + 1;
    const error = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(error.code).toBe("invalid_grant");
    expect(error.message).toMatch(/sign in again/i);
  });

  it("five wrong answers kill the challenge: the right code is refused after them", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const token = await t.passwordStep();
    const wrong = String((Number(t.code(secret)) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 5; i++) {
      expect((await failure(t.engine.completeSignIn({ mfaToken: token, otp: wrong }, ctx))).message).toMatch(/wrong/);
    }
    const error = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(error.message).toMatch(/sign in again/i);
    expect(t.challenges.rows.size).toBe(0);
  });

  it("wrong codes spend the account's sign-in budget (shared with wrong passwords): rate_limited after it, even for the right code", async () => {
    const t = await setup(1); // the real limits: 5 failures per account and address
    const { secret } = await t.turnOn();
    const wrong = String((Number(t.code(secret)) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 4; i++)
      await failure(t.engine.completeSignIn({ mfaToken: await t.passwordStep(), otp: wrong }, ctx));
    const token = await t.passwordStep();
    await failure(t.engine.completeSignIn({ mfaToken: token, otp: wrong }, ctx)); // the fifth
    const limited = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(limited.code).toBe("rate_limited");
    expect((await failure(t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx))).code).toBe("rate_limited");
  });

  it("a sign-out everywhere (epoch raised) between the two steps voids the challenge", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const token = await t.passwordStep();
    await t.engine.logout(await t.claims(), "global");
    const before = await t.liveSessions();
    const error = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(error.code).toBe("invalid_grant");
    expect(await t.liveSessions()).toBe(before);
    expect(t.challenges.rows.size).toBe(0);
  });

  it("an account disabled between the two steps is refused, and stays refused once enabled again", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const token = await t.passwordStep();
    await t.users.disable(t.userId, new Date(t.clock.now));
    const error = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(error.message).toMatch(/disabled/);
    await t.users.enable(t.userId);
    expect((await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx))).code).toBe(
      "invalid_grant",
    );
  });

  it("TOTP turned off between the two steps voids the challenge", async () => {
    const t = await setup();
    const { secret } = await t.turnOn();
    const token = await t.passwordStep();
    await t.engine.disableTotp(await t.claims(), { password: PASSWORD }, ctx);
    expect((await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx))).code).toBe(
      "invalid_grant",
    );
    await expect(t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx)).resolves.toBeTruthy();
  });

  it("a token that was never issued is refused without a lookup", async () => {
    const t = await setup();
    await t.turnOn();
    for (const mfaToken of ["", "x".repeat(43), "not a token"]) {
      expect((await failure(t.engine.completeSignIn({ mfaToken, otp: "123456" }, ctx))).code).toBe("invalid_grant");
    }
  });
});

describe("recovery codes", () => {
  it("each signs in once (amr pwd+mfa), typed in any case with spaces; event and mail with the count left", async () => {
    const t = await setup();
    const { recoveryCodes } = await t.turnOn();
    const typed = ` ${recoveryCodes[0]!.toUpperCase().replace("-", " ")} `;
    const pair = await t.engine.completeSignIn({ mfaToken: await t.passwordStep(), recoveryCode: typed }, ctx);
    expect((await t.engine.authenticate(pair.accessToken)).amr).toEqual(["pwd", "mfa"]);
    const again = await failure(
      t.engine.completeSignIn({ mfaToken: await t.passwordStep(), recoveryCode: recoveryCodes[0]! }, ctx),
    );
    expect(again.message).toMatch(/wrong or was used already/);
    expect(await t.engine.twoFactorStatus(await t.claims())).toEqual({ enabled: true, recoveryCodesLeft: 9 });
    expect(t.events.events.filter((e) => e.type === "recovery_code_used")).toEqual([
      expect.objectContaining({ userId: t.userId, sessionId: pair.sessionId, ip: ctx.ip }),
    ]);
    await settle();
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({
      change: "recovery_code_used",
      remaining: 9,
    });
  });

  it("normalises case, spaces, hyphens and look-alike letters; refuses what cannot be a code", () => {
    expect(normaliseRecoveryCode("ABCDE-FGH0J")).toBe("abcdefgh0j");
    expect(normaliseRecoveryCode("abcde fghoj")).toBe("abcdefgh0j");
    expect(normaliseRecoveryCode("abcdefghij")).toBe("abcdefgh1j");
    expect(normaliseRecoveryCode("abcde-fghj")).toBeNull();
    expect(normaliseRecoveryCode("abcde-fghu!")).toBeNull();
  });

  it("new codes void the old ones (re-authentication applies); event and mail", async () => {
    const t = await setup();
    const { recoveryCodes: old } = await t.turnOn();
    const { recoveryCodes } = await t.engine.regenerateRecoveryCodes(await t.claims(), {}, ctx);
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes).not.toContain(old[0]);
    await failure(t.engine.completeSignIn({ mfaToken: await t.passwordStep(), recoveryCode: old[0]! }, ctx));
    await expect(
      t.engine.completeSignIn({ mfaToken: await t.passwordStep(), recoveryCode: recoveryCodes[0]! }, ctx),
    ).resolves.toBeTruthy();
    expect(t.events.events.some((e) => e.type === "recovery_codes_regenerated")).toBe(true);
    await settle();
    expect(t.mailer.mails.map((m) => m.kind === "sign_in_methods_changed" && m.change)).toContain(
      "recovery_codes_regenerated",
    );
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const old2 = await t.engine.authenticate((await t.engine.refresh(t.device.refreshToken)).accessToken);
    expect((await failure(t.engine.regenerateRecoveryCodes(old2, {}, ctx))).code).toBe(
      "insufficient_user_authentication",
    );
  });

  it("none to make while TOTP is off", async () => {
    const t = await setup();
    expect((await failure(t.engine.regenerateRecoveryCodes(await t.claims(), {}, ctx))).code).toBe("conflict");
  });
});

describe("turning TOTP off", () => {
  it("needs the right password; then the password alone signs in again, the codes are gone; event and mail", async () => {
    const t = await setup();
    const { recoveryCodes } = await t.turnOn();
    const wrong = await failure(t.engine.disableTotp(await t.claims(), { password: "not it" }, ctx));
    expect(wrong.code).toBe("invalid_grant");
    expect(wrong.details.fields?.password).toBeTruthy();
    expect(t.users.rows.get(t.userId)!.twoFactorEnabled).toBe(true);
    await t.engine.disableTotp(await t.claims(), { password: PASSWORD }, ctx);
    expect(t.twoFactor.totp.has(t.userId)).toBe(false);
    expect(await t.twoFactor.countRecoveryCodes(t.userId)).toBe(0);
    expect(await t.engine.twoFactorStatus(await t.claims())).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    const pair = await t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx);
    expect((await t.engine.authenticate(pair.accessToken)).amr).toEqual(["pwd"]);
    expect(recoveryCodes).toHaveLength(10);
    expect(t.events.events.some((e) => e.type === "two_factor_disabled")).toBe(true);
    await settle();
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({ change: "two_factor_disabled" });
    expect((await failure(t.engine.disableTotp(await t.claims(), { password: PASSWORD }, ctx))).code).toBe("conflict");
  });

  it("a secret that does not open (AUTH_SECRET changed) lets no code in, points to the recovery codes", async () => {
    const t = await setup();
    const { secret, recoveryCodes } = await t.turnOn();
    const sealed = t.twoFactor.totp.get(t.userId)!.secretSealed;
    t.twoFactor.totp.get(t.userId)!.secretSealed = sealed.slice(0, -2) + (sealed.endsWith("AA") ? "BB" : "AA");
    const token = await t.passwordStep();
    const error = await failure(t.engine.completeSignIn({ mfaToken: token, otp: t.code(secret) }, ctx));
    expect(error.code).toBe("invalid_grant");
    expect(error.message).toMatch(/recovery code/);
    await expect(
      t.engine.completeSignIn({ mfaToken: token, recoveryCode: recoveryCodes[0]! }, ctx),
    ).resolves.toBeTruthy();
  });
});
