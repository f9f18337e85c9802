/**
 * Email change, re-authentication and account deletion over HTTP, with the mail taken
 * from a real SMTP server (scripts/lib/mail-capture.ts). Storage follows DATABASE_URL / REDIS_URL;
 * with PostgreSQL + Redis a second instance on the same storage shows that a deletion signs every
 * device out everywhere (the embedded PGlite cannot be shared between two processes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import type { AppServer } from "../../scripts/lib/app-server";
import { linkIn, type MailCapture } from "../../scripts/lib/mail-capture";
import type { TestApp } from "../../scripts/lib/test-app";
import { accountApi, startAccountApps, withOldAuthTime, type AccountApps } from "../support/account-api";

const PASSWORD = "correct horse battery";
/** REAUTH_MAX_AGE_SECONDS's default: a sign-in older than this needs the password again. */
const REAUTH_MAX_AGE_SECONDS = 600;

let apps: AccountApps;
let capture: MailCapture;
let testApp: TestApp;
/** Real rate limits (RATE_LIMIT_SCALE=1). */
let limitsApp: TestApp;
/** A second instance on the same storage (PostgreSQL + Redis only). */
let second: AppServer | undefined;
let api: Api;
let account: AccountApps["account"];

beforeAll(async () => {
  apps = await startAccountApps("deletion", {});
  ({ capture, testApp, limitsApp, second, api, account } = apps);
});

afterAll(async () => {
  await apps?.stop();
});

const newAccount = (label: string, client = api) => apps.newAccount(label, PASSWORD, client);

function expectInsufficientAuthentication(res: { status: number; body: Record<string, unknown>; headers: Headers }) {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.body).toMatchObject({ error: "insufficient_user_authentication" });
  expect(res.headers.get("www-authenticate")).toMatch(
    new RegExp(
      `^Bearer error="insufficient_user_authentication", error_description="[^"]+", max_age=${REAUTH_MAX_AGE_SECONDS}$`,
    ),
  );
}

// Independent accounts: these run side by side.
describe.concurrent("changing the email", () => {
  it("with the password: a link to the new address, a notice to the old; the link moves the account", async () => {
    const email = await newAccount("change");
    const newEmail = uniqueEmail("changed");
    const device = await api.device(email, PASSWORD);

    const since = Date.now();
    const asked = await account.changeEmail(device.access_token, newEmail, PASSWORD);
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body).toEqual({});
    const [linkMail, notice] = await Promise.all([
      capture.waitFor(newEmail, { subject: /^Confirm your new email address$/, since }),
      capture.waitFor(email, { subject: /change of your email address was requested/, since }),
    ]);
    const link = linkIn(linkMail, "verify-email");
    expect(link.url).toBe(`${testApp.app.url}/verify-email?token=${link.token}`);
    expect(notice.text).toContain(newEmail);
    expect(notice.text).toContain(`${testApp.app.url}/forgot-password`);
    expect(notice.text).not.toContain(link.token);

    // Nothing changed yet.
    expect((await api.signIn(email, PASSWORD)).status).toBe(200);
    expect((await api.signIn(newEmail, PASSWORD)).status).toBe(400);

    const used = await account.verifyEmail(link.token);
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    const [withOld, withNew] = await Promise.all([api.signIn(email, PASSWORD), api.signIn(newEmail, PASSWORD)]);
    expect(withOld.status).toBe(400);
    expect(withNew.status).toBe(200);
    const me = await account.me(withNew.body.access_token);
    expect(me.body.user).toMatchObject({ email: newEmail, emailVerified: true });

    const changed = await capture.waitFor(email, { subject: /^Your email address was changed$/, since });
    expect(changed.text).toContain(newEmail);
    expect(await account.activityTypes(withNew.body.access_token)).toEqual(
      expect.arrayContaining(["email_change_requested", "email_changed"]),
    );
    expect((await account.verifyEmail(link.token)).body).toMatchObject({ error: "invalid_grant" });
  });

  it("a taken address: the same 202, a notice to the old address, no link to the taken one", async () => {
    const [email, taken] = await Promise.all([newAccount("change-taken"), newAccount("taken")]);
    const device = await api.device(email, PASSWORD);
    const since = Date.now();
    const asked = await account.changeEmail(device.access_token, taken, PASSWORD);
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual({});
    // The notice is posted after the decision about the link: once it is here, a link would be too.
    await capture.waitFor(email, { subject: /change of your email address was requested/, since });
    const free = uniqueEmail("free");
    expect((await account.changeEmail(device.access_token, free, PASSWORD)).status).toBe(202);
    await capture.waitFor(free, { subject: /^Confirm your new email address$/, since });
    const links = capture.messages.filter((m) => m.to.includes(taken) && /new email/i.test(m.subject));
    expect(links).toEqual([]);
  });

  it("re-authentication: a recent sign-in needs no password, an old one gets 401 insufficient_user_authentication", async () => {
    const email = await newAccount("reauth");
    const device = await api.device(email, PASSWORD);
    // Just signed in: auth_time is now.
    expect((await account.changeEmail(device.access_token, uniqueEmail("reauth-new"))).status).toBe(202);

    // The same session's token, refreshed for 11 minutes without the password.
    const old = await withOldAuthTime(testApp.env, device.access_token, REAUTH_MAX_AGE_SECONDS + 60);
    expect((await api.me(old)).status).toBe(200); // a valid token of a live session
    expectInsufficientAuthentication(await account.changeEmail(old, uniqueEmail("reauth-new")));
    expectInsufficientAuthentication(await account.deleteAccount(old));
    // With the password it goes through.
    expect((await account.changeEmail(old, uniqueEmail("reauth-new"), PASSWORD)).status).toBe(202);
    expect((await api.me(device.access_token)).status).toBe(200);
  });

  it("a wrong password: 400 invalid_grant with fields.password, and it spends the sign-in failure budget", async () => {
    const limited = new Api(limitsApp.app.url);
    const client = accountApi(limited);
    const email = await newAccount("wrong-password", limited);
    const device = await limited.device(email, PASSWORD);
    for (let i = 0; i < 5; i++) {
      const res = await client.changeEmail(device.access_token, uniqueEmail("never"), `guess number ${i}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: "invalid_grant", fields: { password: [expect.any(String)] } });
    }
    const right = await client.changeEmail(device.access_token, uniqueEmail("never"), PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    const signIn = await limited.signIn(email, PASSWORD);
    expect(signIn.status).toBe(429);
    expect((await client.deleteAccount(device.access_token, PASSWORD)).status).toBe(429);
  });

  it("bad input: 400 invalid_request; no token: 401; other methods: 405", async () => {
    const email = await newAccount("change-input");
    const device = await api.device(email, PASSWORD);
    const [notEmail, same, anonymous, getEmail, postAccount] = await Promise.all([
      account.changeEmail(device.access_token, "not-an-email", PASSWORD),
      account.changeEmail(device.access_token, email.toUpperCase(), PASSWORD),
      api.call("POST", "/api/account/email", { json: { newEmail: uniqueEmail("x"), password: PASSWORD } }),
      api.call("GET", "/api/account/email", { token: device.access_token }),
      api.call("POST", "/api/account", { token: device.access_token, json: {} }),
    ]);
    expect(notEmail.status).toBe(400);
    expect(notEmail.body).toMatchObject({ error: "invalid_request", fields: { newEmail: [expect.any(String)] } });
    expect(same.status).toBe(400);
    expect(same.body).toMatchObject({ error: "invalid_request", fields: { newEmail: [expect.any(String)] } });
    expect(anonymous.status).toBe(401);
    expect(getEmail.status).toBe(405);
    expect(postAccount.status).toBe(405);
    expect(postAccount.headers.get("allow")).toBe("DELETE");
  });
});

describe.concurrent("deleting the account", () => {
  it("signs out every device on every instance, says goodbye, and the email can register again, empty", async () => {
    const email = await newAccount("delete");
    const [laptop, phone] = await Promise.all([api.device(email, PASSWORD), api.device(email, PASSWORD)]);
    const instances = [api, ...(second ? [new Api(second.url)] : [])];
    const before = await api.me(phone.access_token);
    expect(before.status).toBe(200);
    if (second) expect((await new Api(second.url).me(phone.access_token)).status).toBe(200);

    const wrong = await account.deleteAccount(laptop.access_token, "not my password");
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: "invalid_grant", fields: { password: [expect.any(String)] } });

    const since = Date.now();
    const deleted = await account.deleteAccount(laptop.access_token, PASSWORD);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);

    for (const client of instances) {
      const checks = await Promise.all([
        client.me(laptop.access_token),
        client.me(phone.access_token),
        client.refresh(laptop.refresh_token),
        client.refresh(phone.refresh_token),
        client.sessions(phone.access_token),
      ]);
      expect(
        checks.map((res) => res.status),
        client.baseUrl,
      ).toEqual([401, 401, 400, 400, 401]);
      expect(checks[1]!.body).toMatchObject({ error: "invalid_token" });
    }
    expect((await api.signIn(email, PASSWORD)).status).toBe(400);

    const goodbye = await capture.waitFor(email, { subject: /^Your account was deleted$/, since });
    expect(goodbye.text).toContain(email);

    const again = await api.register(email, PASSWORD);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const fresh = await api.device(email, PASSWORD);
    const now = await api.me(fresh.access_token);
    expect(now.body.user.email).toBe(email);
    expect(now.body.user.id).not.toBe(before.body.user.id);
    const sessions = await api.sessions(fresh.access_token);
    expect(sessions.body.sessions.map((s) => s.id)).toEqual([fresh.session_id]);
    expect(await account.activityTypes(fresh.access_token)).toEqual(["signed_in", "user_registered"]);
    // The old tokens do not come back to life with the new account.
    expect((await api.me(phone.access_token)).status).toBe(401);
  });

  it("a recent sign-in needs no password; a repeated delete is 401", async () => {
    const email = await newAccount("delete-recent");
    const device = await api.device(email, PASSWORD);
    expect((await account.deleteAccount(device.access_token)).status).toBe(204);
    const again = await account.deleteAccount(device.access_token);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: "invalid_token" });
  });
});
