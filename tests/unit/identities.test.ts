/**
 * Sign-in through identity providers, in the engine alone (fake clock, repositories and mailer): the
 * linking rules, the device session an identity gets, connecting and disconnecting. Over HTTP with a
 * real OpenID Connect provider: tests/integration/oidc.test.ts.
 */
import { describe, expect, it } from "vitest";
import { describeActivity } from "@/core/activity";
import type { ExternalIdentity } from "@/core/identities";
import { failure } from "../support/auth-failure";
import { makeEngine } from "../support/fakes";

const EMAIL = "ada@example.com";
const PASSWORD = "correct horse";
const ctx = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function identity(overrides: Partial<ExternalIdentity> = {}): ExternalIdentity {
  return {
    provider: "oidc",
    providerName: "Acme SSO",
    subject: "sub-123",
    email: "grace@example.com",
    emailVerified: true,
    name: "Grace",
    ...overrides,
  };
}

async function setup() {
  const t = await makeEngine();
  const [device] = await t.userWithDevices(1, EMAIL, PASSWORD);
  const owner = [...t.users.rows.values()][0]!;
  return { ...t, device: device!, owner, claims: () => t.engine.authenticate(device!.accessToken) };
}

describe("signing in with an identity", () => {
  it("creates an account without a password for a new identity, verified only when the provider says so", async () => {
    const t = await setup();
    const pair = await t.engine.signInWithIdentity(identity({ email: " Grace@Example.com " }), ctx);
    const claims = await t.engine.authenticate(pair.accessToken);
    expect(claims.email).toBe("grace@example.com");
    expect(claims.amr).toEqual(["fed"]);
    expect(claims.email_verified).toBe(true);
    const user = await t.users.findByEmail("grace@example.com");
    expect(user?.passwordHash).toBeNull();
    expect(t.sessions.rows.get(claims.sid)).toMatchObject({ signInMethod: "oidc", amr: ["fed"] });
    expect(t.signInMethods.identities).toContainEqual(
      expect.objectContaining({ provider: "oidc", subject: "sub-123", userId: user!.id }),
    );

    const unverified = await t.engine.signInWithIdentity(
      identity({ subject: "sub-456", email: "linus@example.com", emailVerified: false }),
      ctx,
    );
    expect((await t.engine.authenticate(unverified.accessToken)).email_verified).toBe(false);
    expect((await t.users.findByEmail("linus@example.com"))?.emailVerifiedAt).toBeNull();
    // The usual verification link goes to the unverified address only.
    await settle();
    expect(t.mailer.last("email_verification_link", "linus@example.com")).toBeDefined();
    expect(t.mailer.last("email_verification_link", "grace@example.com")).toBeUndefined();
  });

  it("signs a known identity in to its account, records its use, and lists the session with its method", async () => {
    const t = await setup();
    const first = await t.engine.signInWithIdentity(identity(), ctx);
    t.clock.now += 60_000;
    // The provider's email may change: the identity (provider, sub) decides, not the email.
    const second = await t.engine.signInWithIdentity(identity({ email: "other@example.com" }), ctx);
    const a = await t.engine.authenticate(first.accessToken);
    const b = await t.engine.authenticate(second.accessToken);
    expect(b.sub).toBe(a.sub);
    expect(b.sid).not.toBe(a.sid);
    expect(t.signInMethods.identities[0]!.lastUsedAt?.getTime()).toBe(t.clock.now);
    const listed = await t.engine.listSessions(b);
    expect(listed.map((s) => [s.signInMethod, s.amr])).toEqual([
      ["oidc", ["fed"]],
      ["oidc", ["fed"]],
    ]);
  });

  for (const emailVerified of [true, false]) {
    it(`never links an identity whose ${emailVerified ? "verified" : "unverified"} email belongs to an existing account`, async () => {
      const t = await setup();
      const error = await failure(
        t.engine.signInWithIdentity(identity({ email: EMAIL.toUpperCase(), emailVerified }), ctx),
      );
      expect(error.code).toBe("conflict");
      expect(error.message).toMatch(/Sign in with your password.*connect Acme SSO under Security settings/);
      expect(t.signInMethods.identities).toHaveLength(0);
      expect(t.users.rows.size).toBe(1);
      expect([...t.sessions.rows.values()].filter((s) => s.userId === t.owner.id)).toHaveLength(1);
    });
  }

  it("refuses an identity without a (usable) email, and creates nothing", async () => {
    const t = await setup();
    for (const email of [null, "", "not an email\n"]) {
      const error = await failure(t.engine.signInWithIdentity(identity({ email }), ctx));
      expect(error.code).toBe("invalid_request");
      expect(error.message).toMatch(/did not tell us an email address/);
    }
    expect(t.users.rows.size).toBe(1);
    expect(t.signInMethods.identities).toHaveLength(0);
  });

  it("refuses a disabled account's identity", async () => {
    const t = await setup();
    const pair = await t.engine.signInWithIdentity(identity(), ctx);
    const { sub } = await t.engine.authenticate(pair.accessToken);
    await t.users.disable(sub, new Date(t.clock.now));
    const error = await failure(t.engine.signInWithIdentity(identity(), ctx));
    expect(error).toMatchObject({ code: "invalid_grant", message: "This account is disabled." });
  });
});

describe("connecting and disconnecting", () => {
  it("connects an identity after a recent sign-in, then it signs in to that account; an event and a mail say so", async () => {
    const t = await setup();
    await t.engine.linkIdentity(await t.claims(), identity({ email: "ada@work.example" }), ctx);
    await settle();
    const pair = await t.engine.signInWithIdentity(identity(), ctx);
    expect((await t.engine.authenticate(pair.accessToken)).sub).toBe(t.owner.id);
    expect(t.events.events).toContainEqual(
      expect.objectContaining({ type: "identity_linked", userId: t.owner.id, reason: "Acme SSO" }),
    );
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({
      change: "identity_linked",
      detail: "Acme SSO",
    });
    expect(await t.engine.listIdentities(await t.claims())).toEqual([
      expect.objectContaining({ provider: "oidc", email: "ada@work.example" }),
    ]);
  });

  it("needs re-authentication: an old sign-in is refused, a recent `authorizeLink` or password lets it through", async () => {
    const t = await setup();
    t.clock.now += (t.config.reauthMaxAgeSeconds + 1) * 1000;
    const claims = await t.engine
      .refresh(t.device.refreshToken)
      .then((pair) => t.engine.authenticate(pair.accessToken));
    expect((await failure(t.engine.linkIdentity(claims, identity(), ctx))).code).toBe(
      "insufficient_user_authentication",
    );
    expect((await failure(t.engine.authorizeLink(claims, "wrong password", ctx))).code).toBe("invalid_grant");
    const at = await t.engine.authorizeLink(claims, PASSWORD, ctx);
    expect(at).toBe(t.clock.now);
    // A proof older than the limit is refused like no proof.
    expect(
      (await failure(t.engine.linkIdentity(claims, identity(), ctx, at - (t.config.reauthMaxAgeSeconds + 1) * 1000)))
        .code,
    ).toBe("insufficient_user_authentication");
    await t.engine.linkIdentity(claims, identity(), ctx, at);
    expect(t.signInMethods.identities).toHaveLength(1);
  });

  it("refuses an identity connected to another account, and a second identity of one provider", async () => {
    const t = await setup();
    const other = await t.engine.signInWithIdentity(identity(), ctx); // grace@example.com owns sub-123
    const taken = await failure(t.engine.linkIdentity(await t.claims(), identity(), ctx));
    expect(taken.code).toBe("conflict");
    expect(taken.message).toMatch(/connected to another account/);
    await t.engine.linkIdentity(await t.claims(), identity({ subject: "sub-999" }), ctx);
    const second = await failure(t.engine.linkIdentity(await t.claims(), identity({ subject: "sub-777" }), ctx));
    expect(second.message).toMatch(/already connected to another Acme SSO account/);
    expect((await t.engine.authenticate(other.accessToken)).sub).not.toBe(t.owner.id);
    expect(t.signInMethods.identities.map((i) => i.subject).sort()).toEqual(["sub-123", "sub-999"]);
  });

  it("refuses to disconnect the last way in of an account without a password; disconnects otherwise, with an event and a mail", async () => {
    const t = await setup();
    const pair = await t.engine.signInWithIdentity(identity(), ctx);
    const claims = await t.engine.authenticate(pair.accessToken);
    const input = { provider: "oidc", providerName: "Acme SSO" };
    const last = await failure(t.engine.unlinkIdentity(claims, input, ctx));
    expect(last.code).toBe("conflict");
    expect(last.message).toMatch(/only way into your account.*Set a password first.*Forgot password\?/);
    expect(t.signInMethods.identities).toHaveLength(1);

    await t.engine.linkIdentity(await t.claims(), identity({ subject: "sub-ada" }), ctx);
    await t.engine.unlinkIdentity(await t.claims(), input, ctx);
    await settle();
    expect(t.signInMethods.identities.map((i) => i.subject)).toEqual(["sub-123"]);
    expect(t.events.events).toContainEqual(expect.objectContaining({ type: "identity_unlinked", userId: t.owner.id }));
    expect(t.mailer.last("sign_in_methods_changed", EMAIL)).toMatchObject({ change: "identity_unlinked" });
    expect((await failure(t.engine.unlinkIdentity(await t.claims(), input, ctx))).code).toBe("not_found");
  });

  it("a password-less account has no password that re-authenticates, nor one to change", async () => {
    const t = await setup();
    const pair = await t.engine.signInWithIdentity(identity(), ctx);
    const claims = await t.engine.authenticate(pair.accessToken);
    expect((await failure(t.engine.authorizeLink(claims, "", ctx))).code).toBe("invalid_grant");
    const change = await failure(
      t.engine.changePassword(claims, { currentPassword: "anything", newPassword: "a new long password" }, ctx),
    );
    expect(change.message).toMatch(/no password yet.*Forgot password\?/);
  });

  it("a password-less account says so, and is told to sign in again (not to type a password) when its sign-in is old", async () => {
    const t = await setup();
    expect(await t.engine.hasPassword(await t.claims())).toBe(true);
    const pair = await t.engine.signInWithIdentity(identity(), ctx);
    expect(await t.engine.hasPassword(await t.engine.authenticate(pair.accessToken))).toBe(false);
    t.clock.now += 11 * 60_000; // past REAUTH_MAX_AGE_SECONDS (10 min)
    const fresh = await t.engine.refresh(pair.refreshToken, ctx); // a new token keeps the old auth_time
    const stale = await failure(t.engine.deleteAccount(await t.engine.authenticate(fresh.accessToken), {}, ctx));
    expect(stale.code).toBe("insufficient_user_authentication");
    expect(stale.message).toMatch(/sign in again/);
    expect(stale.message).not.toMatch(/password/);
    // An account with a password is still asked for it.
    const device = await t.engine.signIn({ email: EMAIL, password: PASSWORD }, ctx);
    t.clock.now += 11 * 60_000;
    const later = await t.engine.refresh(device.refreshToken, ctx);
    const asked = await failure(t.engine.deleteAccount(await t.engine.authenticate(later.accessToken), {}, ctx));
    expect(asked.message).toMatch(/Enter your password again/);
  });
});

describe("the activity's words", () => {
  it("names the provider connected or disconnected and who did it", () => {
    const base = {
      id: "1",
      sessionId: null,
      actorSessionId: "s-this",
      device: null,
      actorDevice: "Chrome on macOS",
      ip: "203.0.113.9",
      newDevice: false,
      mailUnverified: false,
      createdAt: new Date(),
    };
    expect(describeActivity({ ...base, type: "identity_linked", reason: "Acme SSO" }, "s-this")).toMatchObject({
      title: "Acme SSO connected",
      actor: "you, from this device",
    });
    expect(describeActivity({ ...base, type: "identity_unlinked", reason: "GitHub" }, "s-other")).toMatchObject({
      title: "GitHub disconnected",
      actor: "you, from Chrome on macOS",
    });
  });
});
