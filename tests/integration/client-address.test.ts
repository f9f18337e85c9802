/**
 * Which address the app takes for a client (shown per device, mailed, and the key of per-address
 * rate limits), over real sockets. Each test connects from its own loopback address (127.0.0.N:
 * all of 127/8 is loopback), so the real peer differs from test to test, and sends forged
 * X-Forwarded-For values (and a forged copy of the server's private peer-address header).
 *
 * - `direct`: TRUST_PROXY_HOPS=0, no proxy. The socket's peer decides, whatever the client sends.
 * - `proxied`: TRUST_PROXY_HOPS=1 behind a loopback proxy that appends the address it received the
 *   request from to X-Forwarded-For (as nginx's $proxy_add_x_forwarded_for does): the rightmost
 *   entry is the client, anything the client put to its left is ignored.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROME_MAC, uniqueEmail } from "../../scripts/lib/api-client";
import { waitFor } from "../../scripts/lib/ports";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn } from "../support/browser-sign-in";

const PASSWORD = "correct horse battery";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
/** The header server.mjs writes the socket's peer into; a client's own value must never count. */
const PEER_HEADER = "x-rjs-peer-address";

let direct: TestApp;
let proxied: TestApp;
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  const settings = { RATE_LIMIT_SCALE: "1", MAIL_OUTBOX_VIEWER: "1" };
  [direct, proxied] = await Promise.all([
    startTestApp("addr-direct", settings),
    startTestApp("addr-proxied", { ...settings, TRUST_PROXY_HOPS: "1" }),
  ]);
  proxy = appendingProxy(new URL(proxied.app.url));
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

/** A reverse proxy that appends its peer's address to X-Forwarded-For and forwards the request. */
function appendingProxy(target: URL): Server {
  return createServer((req, res) => {
    const headers = { ...req.headers };
    const peer = req.socket.remoteAddress!;
    headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${peer}` : peer;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** One HTTP request from the loopback address `from` (fetch cannot choose its source address). */
function send(
  base: string,
  from: string,
  method: string,
  path: string,
  options: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const body =
    options.json !== undefined
      ? JSON.stringify(options.json)
      : options.form
        ? new URLSearchParams(options.form).toString()
        : undefined;
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== undefined) headers["content-type"] = "application/json";
  else if (options.form) headers["content-type"] = "application/x-www-form-urlencoded";
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress: from },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : {} });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A forged X-Forwarded-For and private peer header, different on every call. */
let forgeries = 0;
function forged(): Record<string, string> {
  forgeries += 1;
  return { "x-forwarded-for": `198.51.100.${forgeries % 250}`, [PEER_HEADER]: `203.0.113.${forgeries % 250}` };
}

async function register(base: string, from: string, headers: Record<string, string> = {}): Promise<string> {
  const email = uniqueEmail("addr");
  const res = await send(base, from, "POST", "/api/auth/register", { json: { email, password: PASSWORD }, headers });
  expect(res.status).toBe(201);
  return email;
}

function signIn(base: string, from: string, email: string, headers: Record<string, string> = {}) {
  return send(base, from, "POST", "/api/auth/token", {
    form: { grant_type: "password", username: email, password: PASSWORD },
    headers: { "user-agent": CHROME_MAC, ...headers },
  });
}

/** The address GET /api/sessions shows for the session of this access token. */
async function shownAddress(base: string, accessToken: string): Promise<unknown> {
  const res = await send(base, "127.0.0.1", "GET", "/api/sessions", {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(res.status).toBe(200);
  return (res.body.sessions as { current: boolean; ip: unknown }[]).find((s) => s.current)?.ip;
}

/** Eleven registrations from one real address, each with a new forged one: the 11th is refused. */
async function registrationsFrom(base: string, from: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await send(base, from, "POST", "/api/auth/register", {
      json: { email: uniqueEmail("bulk"), password: PASSWORD },
      headers: forged(),
    });
    statuses.push(res.status);
  }
  return statuses;
}

/** The outbox page's text for one recipient, once the new-device mail is there. */
async function mailTo(app: TestApp, email: string): Promise<string> {
  return waitFor(
    "the new-device mail in the outbox",
    async () => {
      const html = (await (await fetch(`${app.app.url}/dev/outbox`)).text()).replaceAll("<!-- -->", "");
      const start = html.indexOf(`To ${email}`);
      return start < 0 ? undefined : html.slice(start, start + 2_000);
    },
    10_000,
    100,
  );
}

describe("without a trusted proxy (TRUST_PROXY_HOPS=0)", () => {
  it("a forged X-Forwarded-For or peer header does not decide the address shown per device", async () => {
    const email = await register(direct.app.url, "127.0.0.11");
    const res = await signIn(direct.app.url, "127.0.0.11", email, forged());
    expect(res.status).toBe(200);
    expect(await shownAddress(direct.app.url, res.body.access_token as string)).toBe("127.0.0.11");
  });

  it("the browser sign-in (next-auth) takes the socket's peer too", async () => {
    const email = await register(direct.app.url, "127.0.0.17");
    expect((await browserSignIn(direct.app.url, email, PASSWORD, forged())).status).toBe(200); // from 127.0.0.1
    const api = await signIn(direct.app.url, "127.0.0.17", email);
    const res = await send(direct.app.url, "127.0.0.17", "GET", "/api/sessions", {
      headers: { authorization: `Bearer ${api.body.access_token as string}` },
    });
    expect((res.body.sessions as { ip: unknown }[]).map((s) => s.ip).sort()).toEqual(["127.0.0.1", "127.0.0.17"]);
  });

  it("rotating forged headers gets no more registrations than the per-address limit (10)", async () => {
    const statuses = await registrationsFrom(direct.app.url, "127.0.0.12");
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it("rotating forged headers gets no more sign-ins than the per-address limit (30 a minute)", async () => {
    const email = await register(direct.app.url, "127.0.0.13");
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await signIn(direct.app.url, "127.0.0.13", email, forged())).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses[30]).toBe(429);
  });

  it("forging the owner's address while guessing their password does not lock the owner out", async () => {
    const email = await register(direct.app.url, "127.0.0.14");
    for (let i = 0; i < 6; i++) {
      const guess = await send(direct.app.url, "127.0.0.15", "POST", "/api/auth/token", {
        form: { grant_type: "password", username: email, password: `guess-${i}` },
        headers: { "x-forwarded-for": "127.0.0.14", [PEER_HEADER]: "127.0.0.14" },
      });
      expect(guess.status).toBe(i < 5 ? 400 : 429); // the guesser's own address is locked
    }
    expect((await signIn(direct.app.url, "127.0.0.14", email)).status).toBe(200);
  });

  it("a URL sent as X-Forwarded-For never reaches the new-device email: the real address does", async () => {
    const email = await register(direct.app.url, "127.0.0.16");
    const evil = { "x-forwarded-for": "https://evil.example/verify", [PEER_HEADER]: "https://evil.example/verify" };
    expect((await signIn(direct.app.url, "127.0.0.16", email, evil)).status).toBe(200);
    expect((await signIn(direct.app.url, "127.0.0.16", email, { ...evil, "user-agent": FIREFOX_WINDOWS })).status).toBe(
      200,
    );
    const mail = await mailTo(direct, email);
    expect(mail).not.toContain("evil.example");
    expect(mail).toContain("IP address 127.0.0.16");
  });
});

describe("behind one proxy that appends (TRUST_PROXY_HOPS=1)", () => {
  it("the proxy's entry (the rightmost) is the address; a forged entry to its left is ignored", async () => {
    const email = await register(proxyUrl, "127.0.0.21");
    const res = await signIn(proxyUrl, "127.0.0.21", email, forged());
    expect(res.status).toBe(200);
    expect(await shownAddress(proxyUrl, res.body.access_token as string)).toBe("127.0.0.21");
  });

  it("rotating forged entries gets no more registrations than the per-address limit (10)", async () => {
    const statuses = await registrationsFrom(proxyUrl, "127.0.0.22");
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it("an entry that is not an IP address is no address at all: the email names none", async () => {
    // Straight to the app, not through the proxy: the rightmost entry is the client's text.
    const email = await register(proxied.app.url, "127.0.0.23");
    const evil = { "x-forwarded-for": "https://evil.example/verify" };
    expect((await signIn(proxied.app.url, "127.0.0.23", email, evil)).status).toBe(200);
    const second = await signIn(proxied.app.url, "127.0.0.23", email, { ...evil, "user-agent": FIREFOX_WINDOWS });
    expect(second.status).toBe(200);
    expect(await shownAddress(proxied.app.url, second.body.access_token as string)).toBeNull();
    const mail = await mailTo(proxied, email);
    expect(mail).not.toContain("evil.example");
    expect(mail).not.toContain("IP address");
  });
});
