/**
 * Security activity and new-device alerts against the real app (`next start`): two apps, one
 * without SMTP (mail goes to the outbox, viewer enabled) and one sending to a real SMTP server
 * captured here (scripts/lib/mail-capture.ts). Storage follows DATABASE_URL / REDIS_URL like every integration test.
 */
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, CHROME_MAC, SAFARI_IPHONE, uniqueEmail } from "../../scripts/lib/api-client";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { usingPostgres } from "../../scripts/lib/databases";
import { waitFor } from "../../scripts/lib/ports";
import { startMailCapture, type MailCapture } from "../../scripts/lib/mail-capture";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

const PASSWORD = "correct horse battery";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_MAC_NEWER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const MAIL_FROM = "Security <security@revocable.test>";

interface Item {
  id: string;
  type: string;
  reason: string | null;
  title: string;
  device: string | null;
  thisDevice: boolean;
  ip: string | null;
  actor: string | null;
  newDevice: boolean;
  occurredAt: string;
}
interface ActivityBody {
  items: Item[];
  olderCursor: string | null;
  newerCursor: string | null;
}

let plain: TestApp; // no SMTP: the outbox, viewable (MAIL_OUTBOX_VIEWER=1)
let smtp: TestApp; // SMTP_URL -> the capturing server below
let api: Api;
let smtpApi: Api;
let capture: MailCapture;

beforeAll(async () => {
  capture = await startMailCapture();
  // Grace 0: a refresh token presented twice is reuse at once (the reuse test needs no wait).
  [plain, smtp] = await Promise.all([
    startTestApp("activity", { MAIL_OUTBOX_VIEWER: "1", REFRESH_GRACE_SECONDS: "0" }),
    startTestApp("activitysmtp", { SMTP_URL: capture.url, MAIL_FROM }),
  ]);
  api = new Api(plain.app.url);
  smtpApi = new Api(smtp.app.url);
});

afterAll(async () => {
  await Promise.all([plain?.stop(), smtp?.stop()]);
  await capture?.close();
});

function activity(client: Api, token: string, query = "") {
  return client.call<ActivityBody>("GET", `/api/account/activity${query}`, { token });
}

async function items(token: string, client = api): Promise<Item[]> {
  const res = await activity(client, token, "?limit=100");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

async function newUser(client = api): Promise<string> {
  const email = uniqueEmail("act");
  expect((await client.register(email, PASSWORD)).status).toBe(201);
  return email;
}

describe("new-device sign-ins", () => {
  it("the first sign-in is not an alert; another user agent is; the first one again (even updated) is not", async () => {
    const email = await newUser();
    await api.device(email, PASSWORD, CHROME_MAC);
    const linux = await api.device(email, PASSWORD, FIREFOX_LINUX);
    await api.device(email, PASSWORD, CHROME_MAC_NEWER);
    const again = await api.device(email, PASSWORD, CHROME_MAC);

    const list = await items(again.access_token);
    expect(list.map((i) => [i.type, i.title, i.device, i.newDevice])).toEqual([
      ["signed_in", "Signed in", "Chrome on macOS", false],
      ["signed_in", "Signed in", "Chrome on macOS", false],
      ["signed_in", "Signed in from a new device", "Firefox on Linux", true],
      ["signed_in", "Signed in", "Chrome on macOS", false],
      ["user_registered", "Account created", null, false],
    ]);
    expect(list[0]).toMatchObject({ thisDevice: true, ip: "127.0.0.1", actor: null });
    expect(list[2]!.thisDevice).toBe(false);
    // Same data, seen from another session: "this device" follows the viewer.
    const fromLinux = await items(linux.access_token);
    expect(fromLinux.find((i) => i.newDevice)?.thisDevice).toBe(true);
    expect(fromLinux.map((i) => i.id)).toEqual(list.map((i) => i.id));
  });

  it("without SMTP the email is written to the outbox, viewable at /dev/outbox when enabled; no token in it", async () => {
    const email = await newUser();
    const first = await api.device(email, PASSWORD, CHROME_MAC);
    const second = await api.device(email, PASSWORD, FIREFOX_WINDOWS);

    const page = await waitFor(
      "the mail in the outbox",
      async () => {
        const res = await fetch(`${plain.app.url}/dev/outbox`);
        expect(res.status).toBe(200);
        const html = (await res.text()).replaceAll("<!-- -->", "");
        return html.includes(`To ${email}`) ? html : undefined;
      },
      10_000,
      100,
    );
    // Two mails: registration's verification link, and the alert for the second device (the first sign-in sent none).
    expect(page.split(`To ${email}`)).toHaveLength(3);
    expect(page).toContain("Verify your email address");
    expect(page).toContain("New sign-in to your account from Firefox on Windows");
    expect(page).toContain("IP address 127.0.0.1");
    for (const pair of [first, second]) {
      expect(page).not.toContain(pair.access_token);
      expect(page).not.toContain(pair.refresh_token);
    }
  });

  it("with SMTP the email is sent: right recipient and sender, subject, what/when/where, no token", async () => {
    const email = await newUser(smtpApi);
    const first = await smtpApi.device(email, PASSWORD, CHROME_MAC);
    const second = await smtpApi.device(email, PASSWORD, SAFARI_IPHONE);

    const alerts = () =>
      capture.messages.filter((m) => m.to.includes(email.toLowerCase()) && /^New sign-in/.test(m.subject));
    const mail = await waitFor("the alert on the SMTP server", async () => alerts()[0], 10_000, 100);
    expect(mail.from).toBe("security@revocable.test");
    expect(mail.to).toEqual([email.toLowerCase()]);
    const { text } = mail;
    expect(mail.subject).toBe("New sign-in to your account from Mobile Safari on iOS");
    expect(mail.fromHeader).toBe("Security <security@revocable.test>");
    expect(text).toContain("Where: Mobile Safari on iOS, IP address 127.0.0.1");
    expect(text).toMatch(/When: {2}\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC/);
    expect(text).toContain(`${smtp.app.url}/settings/password`);
    for (const pair of [first, second]) {
      expect(mail.raw).not.toContain(pair.access_token);
      expect(mail.raw).not.toContain(pair.refresh_token);
    }
    await new Promise((r) => setTimeout(r, 300)); // no other alert for this user (the first sign-in sent none)
    expect(alerts()).toHaveLength(1);
  });

  it("the outbox viewer answers 404 in production unless enabled", async () => {
    expect((await fetch(`${smtp.app.url}/dev/outbox`)).status).toBe(404);
  });

  it("a signed-in browser is told over its event stream, and stays signed in", async () => {
    const email = await newUser();
    const browser = await browserSignIn(plain.app.url, email, PASSWORD, { "user-agent": CHROME_MAC });
    expect(browser.status).toBe(200);
    const event = await nextSseEvent(
      `${plain.app.url}/api/session/events`,
      cookieHeader(browser.cookies),
      "new-device",
      () => api.device(email, PASSWORD, FIREFOX_WINDOWS),
    );
    expect(JSON.parse(event)).toEqual({
      id: expect.any(String),
      device: "Firefox on Windows",
      ip: "127.0.0.1",
      at: expect.any(String),
    });
  });
});

describe("GET /api/account/activity", () => {
  it("pages through more than one page with no duplicate and no gap, even while events are added", async () => {
    const email = await newUser();
    let token = "";
    for (let i = 0; i < 24; i++) token = (await api.device(email, PASSWORD, CHROME_MAC)).access_token;
    const all = await items(token); // 24 sign-ins + the registration
    expect(all).toHaveLength(25);

    const pages: ActivityBody[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: ActivityBody } = await activity(
        api,
        token,
        `?limit=10${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      pages.push(res.body);
      cursor = res.body.olderCursor;
      if (pages.length === 1) await api.device(email, PASSWORD, CHROME_MAC); // a new event mid-way
    } while (cursor);
    const ids = (page: ActivityBody) => page.items.map((i) => i.id);
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 5]);
    expect(pages.flatMap(ids)).toEqual(all.map((i) => i.id)); // the same events, in order: nothing repeated or skipped
    expect(pages[0]!.newerCursor).toBeNull();

    // And back up with the newer cursors: the same pages, then the event added meanwhile.
    let back = await activity(api, token, `?limit=10&cursor=${pages[2]!.newerCursor}`);
    expect(ids(back.body)).toEqual(ids(pages[1]!));
    back = await activity(api, token, `?limit=10&cursor=${back.body.newerCursor}`);
    expect(ids(back.body)).toEqual(ids(pages[0]!));
    const top = await activity(api, token, `?limit=10&cursor=${back.body.newerCursor}`);
    expect(top.body.items.map((i) => i.title)).toEqual(["Signed in"]);
    expect(top.body.newerCursor).toBeNull();
  });

  it("a cursor only ever shows the caller's own events", async () => {
    const a = await api.device(await newUser(), PASSWORD);
    const b = await api.device(await newUser(), PASSWORD);
    const aPage = await activity(api, a.access_token, "?limit=1");
    expect(aPage.body.olderCursor).not.toBeNull();
    const bWithA = await activity(api, b.access_token, `?cursor=${aPage.body.olderCursor}`);
    expect(bWithA.status).toBe(200);
    const bIds = (await items(b.access_token)).map((i) => i.id);
    for (const item of bWithA.body.items) expect(bIds).toContain(item.id);
  });

  it.each([
    ["garbage cursor", "?cursor=not-a-cursor", "cursor"],
    ["tampered cursor", `?cursor=${Buffer.from("o:1 OR 1=1").toString("base64url")}`, "cursor"],
    ["long cursor", `?cursor=${"A".repeat(300)}`, "cursor"],
    ["limit 0", "?limit=0", "limit"],
    ["limit 101", "?limit=101", "limit"],
    ["limit abc", "?limit=abc", "limit"],
    ["limit 1.5", "?limit=1.5", "limit"],
  ])("answers 400 invalid_request for a %s", async (_label, query, field) => {
    const { access_token } = await api.device(await newUser(), PASSWORD);
    const res = await activity(api, access_token, query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: "invalid_request",
      error_description: expect.any(String),
      fields: { [field]: [expect.any(String)] },
    });
  });

  it("random cursors and limits never cause a 5xx: 200 with a page, or 400 with a JSON error (property-based)", async () => {
    const { access_token } = await api.device(await newUser(), PASSWORD);
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.base64String({ maxLength: 40 }),
      fc.integer().map(String),
      fc.constantFrom("", "-1", "1e3", "NaN", "%00", "o:1"),
    );
    await fc.assert(
      fc.asyncProperty(fc.record({ cursor: value, limit: value }, { requiredKeys: [] }), async (params) => {
        const res = await activity(api, access_token, `?${new URLSearchParams(params as Record<string, string>)}`);
        expect([200, 400], `${JSON.stringify(params)} -> ${res.status} ${JSON.stringify(res.body)}`).toContain(
          res.status,
        );
        if (res.status === 200) expect(Array.isArray(res.body.items)).toBe(true);
        else expect(res.body).toMatchObject({ error: "invalid_request", error_description: expect.any(String) });
      }),
      { seed: 8, numRuns: 60 },
    );
  });

  it("401 without a token, 405 (JSON) for other methods", async () => {
    const anonymous = await api.call("GET", "/api/account/activity");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: "invalid_token" });
    const { access_token } = await api.device(await newUser(), PASSWORD);
    const post = await api.call("POST", "/api/account/activity", { token: access_token, json: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });
});

describe("revocations say who did it", () => {
  async function threeDevices() {
    const email = await newUser();
    const laptop = await api.device(email, PASSWORD, CHROME_MAC);
    const phone = await api.device(email, PASSWORD, SAFARI_IPHONE);
    const linux = await api.device(email, PASSWORD, FIREFOX_LINUX);
    return { email, laptop, phone, linux };
  }

  it('a device logged out from another: "you, from this device" there, "you, from Chrome on macOS" elsewhere', async () => {
    const { laptop, phone, linux } = await threeDevices();
    expect((await api.deleteSession(laptop.access_token, phone.session_id)).status).toBe(204);
    const [fromLaptop] = await items(laptop.access_token);
    expect(fromLaptop).toMatchObject({
      type: "session_revoked",
      reason: "revoked_by_user",
      title: "Device logged out",
      device: "Mobile Safari on iOS",
      ip: "127.0.0.1",
      actor: "you, from this device",
    });
    expect((await items(linux.access_token))[0]).toMatchObject({
      id: fromLaptop!.id,
      actor: "you, from Chrome on macOS",
    });

    if (usingPostgres()) {
      // What the page shows was stored with the event: a cleanup of old session rows changes nothing.
      await withDatabase(plain, (db) =>
        db.query("DELETE FROM device_sessions WHERE id = ANY($1)", [[phone.session_id, laptop.session_id]]),
      );
      expect((await items(linux.access_token))[0]).toMatchObject({
        device: "Mobile Safari on iOS",
        actor: "you, from Chrome on macOS",
      });
    }
  });

  it("log out others, refresh-token reuse, password change and log out everywhere", async () => {
    const { email, laptop, linux } = await threeDevices();
    // Reuse: the linux refresh token presented twice (grace window 0 on this app).
    expect((await api.refresh(linux.refresh_token)).status).toBe(200);
    expect((await api.refresh(linux.refresh_token)).status).toBe(400);
    let list = await items(laptop.access_token);
    expect(list[0]).toMatchObject({
      type: "session_revoked",
      reason: "refresh_token_reused",
      device: "Firefox on Linux",
      actor: "refresh token reuse detected",
    });
    expect(list.filter((i) => i.type === "refresh_token_reused")).toEqual([]); // the revocation already says it

    expect((await api.logout(laptop.access_token, "others")).status).toBe(204);
    list = await items(laptop.access_token);
    expect(list[0]).toMatchObject({
      reason: "logout_others",
      device: "Mobile Safari on iOS",
      actor: "you, from this device",
    });

    const changed = await api.changePassword(laptop.access_token, PASSWORD, `${PASSWORD} 2`);
    expect(changed.status).toBe(200);
    list = await items(changed.body.access_token);
    expect(list[0]).toMatchObject({
      type: "password_changed",
      title: "Password changed; every other device was signed out",
      actor: "you, from this device",
      device: null,
    });

    expect((await api.logout(changed.body.access_token, "global")).status).toBe(204);
    const later = await api.device(email, `${PASSWORD} 2`, CHROME_MAC);
    list = await items(later.access_token);
    expect(list[1]).toMatchObject({
      reason: "logout_everywhere",
      title: "Logged out everywhere",
      actor: "you, from Chrome on macOS",
      device: null,
    });
  });
});

describe("the /settings/activity page", () => {
  it("lists the events for a signed-in browser; a bad cursor is a readable message, not a 500", async () => {
    const email = await newUser();
    const browser = await browserSignIn(plain.app.url, email, PASSWORD, { "user-agent": CHROME_MAC });
    const cookie = cookieHeader(browser.cookies);
    const page = await fetch(`${plain.app.url}/settings/activity`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
    const html = (await page.text()).replaceAll("<!-- -->", "");
    expect(html).toContain("<h1");
    expect(html).toContain("Security activity");
    expect(html).toMatch(/<ul aria-label="Security events"/);
    expect(html).toContain("Chrome on macOS (this device)");
    expect(html).toMatch(/<time dateTime="[^"]+Z" title="[^"]+">just now<\/time>/i);

    const bad = await fetch(`${plain.app.url}/settings/activity?cursor=%27%3Bdrop`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("This page link is not valid");

    const anonymous = await fetch(`${plain.app.url}/settings/activity`, { redirect: "manual" });
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toMatch(/\/login\?/);
  });
});

describe("logs", () => {
  it("never contain a token, password or the mail server URL", () => {
    for (const logs of [plain.app.logs, smtp.app.logs]) {
      expect(logs).not.toContain(PASSWORD);
      expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
      expect(logs).not.toMatch(/smtp:\/\//);
    }
  });
});

/** Opens a server-sent-events stream, runs `trigger` once it is ready, returns the data of the first `name` event. */
async function nextSseEvent(
  url: string,
  cookie: string,
  name: string,
  trigger: () => Promise<unknown>,
  timeoutMs = 10_000,
): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let triggered = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended without "${name}": ${text}`);
      text += decoder.decode(value, { stream: true });
      if (!triggered && text.includes("event: ready")) {
        triggered = true;
        await new Promise((r) => setTimeout(r, 1_200)); // the pub/sub subscription is live (SUBSCRIBED_AFTER_MS)
        await trigger();
      }
      const match = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(text);
      if (match) return match[1]!;
      if (text.includes("event: signed-out")) throw new Error(`signed out instead of "${name}": ${text}`);
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function withDatabase<T>(app: TestApp, run: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: app.database.url });
  await db.connect();
  try {
    return await run(db);
  } finally {
    await db.end();
  }
}
