/**
 * Several instances of the app on one PostgreSQL database and one Redis (a load-balanced
 * deployment): a revocation made through one instance is enforced by the others on the very next
 * request, the live sign-out push (server-sent events fed by Redis pub/sub) crosses instances, and
 * `scripts/start-cluster.ts` starts and stops such a cluster.
 *
 * Storage: with DATABASE_URL set, a throwaway database on that server; otherwise a private
 * PostgreSQL server (the embedded PGlite cannot be shared between processes). With REDIS_URL set,
 * that Redis under a key prefix of this file's own; otherwise a private redis-server. Everything is
 * removed at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { Api, CHROME_MAC, SAFARI_IPHONE, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { AppServer } from "../../scripts/lib/app-server";
import { createTestDatabase, usingPostgres } from "../../scripts/lib/databases";
import { testSecrets } from "../../scripts/lib/keys";
import { freePort, waitFor } from "../../scripts/lib/ports";
import { PrivatePostgres } from "../support/private-postgres";
import { deleteKeys, PrivateRedis, sharedRedisUrl, uniquePrefix } from "../../scripts/lib/redis";

const PASSWORD = "correct horse battery";
const ISSUER = "http://revocable.test";
/** The most the sign-out push may take to cross from one instance to another. */
const PUSH_BUDGET_MS = 2_000;

/** The storage every instance of this file shares. */
let storage: { databaseUrl: string; redisUrl: string; prefix: string; describe: string };
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  const prefix = uniquePrefix("cluster");
  const [database, redisUrl] = await Promise.all([
    (async () => {
      if (usingPostgres()) {
        const db = await createTestDatabase("cluster");
        cleanups.push(() => db.drop());
        return { url: db.url!, kind: "a throwaway database on DATABASE_URL" };
      }
      const server = await PrivatePostgres.start({ database: "rjs_cluster" });
      cleanups.push(() => server.stop());
      return { url: server.url, kind: "a private PostgreSQL server" };
    })(),
    (async () => {
      const shared = sharedRedisUrl();
      if (shared) {
        cleanups.push(() => deleteKeys(shared, prefix));
        return shared;
      }
      const server = await PrivateRedis.start();
      cleanups.push(() => server.stop());
      return server.url;
    })(),
  ]);
  storage = {
    databaseUrl: database.url,
    redisUrl,
    prefix,
    describe: `${database.kind}, ${sharedRedisUrl() ? `REDIS_URL (prefix ${prefix})` : "a private redis-server"}`,
  };
  console.log(`cluster: storage = ${storage.describe}`);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => console.error("cluster: cleanup failed:", error));
});

// ---------------------------------------------------------------- helpers

async function expectAccepted(api: Api, token: string, label: string): Promise<void> {
  const res = await api.me(token);
  expect(res.status, `${label} on ${api.baseUrl}: ${JSON.stringify(res.body)}`).toBe(200);
}

async function expectRefused(api: Api, token: string, label: string): Promise<void> {
  const res = await api.me(token);
  expect(res.status, `${label} on ${api.baseUrl}: ${JSON.stringify(res.body)}`).toBe(401);
  expect(res.body).toMatchObject({ error: "invalid_token" });
}

interface SseEvent {
  event: string;
  data: string;
  /** performance.now() when the event's last byte arrived. */
  at: number;
}

/** A server-sent-events stream read with fetch, as EventSource would (without reconnecting). */
class EventStream {
  readonly events: SseEvent[] = [];
  ended = false;
  private buffer = "";
  private wake: () => void = () => undefined;
  private readonly abort = new AbortController();

  private constructor(readonly response: Response) {}

  static async open(url: string, cookie: string): Promise<EventStream> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { cookie, accept: "text/event-stream", "user-agent": CHROME_MAC },
      signal: controller.signal,
    });
    const stream = new EventStream(response);
    stream.abort.signal.addEventListener("abort", () => controller.abort());
    void stream.pump();
    return stream;
  }

  private async pump(): Promise<void> {
    const reader = this.response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf("\n\n")) !== -1) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
          }
          // A block of comments (": keep-alive") or only "retry:" is no event.
          if (data.length || block.includes("event:"))
            this.events.push({ event, data: data.join("\n"), at: performance.now() });
        }
        this.wake();
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  /** The first event of this name (already received or still to come), or an error after timeoutMs. */
  async next(name: string, timeoutMs: number): Promise<SseEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === name);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended without "${name}" (events: ${JSON.stringify(this.events)})`);
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`no "${name}" event within ${timeoutMs} ms (events: ${JSON.stringify(this.events)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async waitEnded(timeoutMs: number): Promise<void> {
    await waitFor("the end of the stream", async () => (this.ended ? true : undefined), timeoutMs, 20);
  }

  close(): void {
    this.abort.abort();
  }
}

/**
 * A browser signing in through next-auth's own flow (CSRF token, credentials callback) on one
 * instance, as routed there by a load balancer: the page's origin is the cluster's public URL
 * (APP_URL). Returns the cookie header the browser would send from then on, and its session id.
 */
async function signInBrowser(
  baseUrl: string,
  publicUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; sessionId: string }> {
  const res = await browserSignIn(baseUrl, email, password, { origin: publicUrl, "user-agent": CHROME_MAC });
  const session = [...res.cookies].find(([name, value]) => name.includes("session-token") && value);
  if (res.status !== 200 || !session)
    throw new Error(
      `browser sign-in on ${baseUrl} failed: ${res.status} ${res.body} (cookies: ${[...res.cookies.keys()].join(", ")})`,
    );
  const sessionId = decodeJwt(session[1]).sid;
  if (typeof sessionId !== "string") throw new Error("the session cookie holds no sid");
  return { cookie: cookieHeader(res.cookies), sessionId };
}

// ---------------------------------------------------------------- two instances

describe("two instances sharing PostgreSQL and Redis", () => {
  let a: AppServer;
  let b: AppServer;
  let apiA: Api;
  let apiB: Api;
  /** The cluster's public URL (APP_URL of both): what a browser behind a load balancer sees. */
  let publicUrl: string;

  beforeAll(async () => {
    const portA = await freePort();
    let portB = await freePort();
    while (portB === portA) portB = await freePort();
    // One cluster: the same secrets, issuer, database and Redis prefix; behind a load balancer they
    // would also share one public URL (here: A's).
    publicUrl = `http://127.0.0.1:${portA}`;
    const env = {
      ...(await testSecrets()),
      DATABASE_URL: storage.databaseUrl,
      REDIS_URL: storage.redisUrl,
      REDIS_KEY_PREFIX: storage.prefix,
      APP_URL: publicUrl,
      JWT_ISSUER: ISSUER,
      REFRESH_GRACE_SECONDS: "3",
      RATE_LIMIT_SCALE: "1000",
    };
    const started = await Promise.allSettled([AppServer.start(env, portA), AppServer.start(env, portB)]);
    for (const result of started) if (result.status === "fulfilled") cleanups.push(() => result.value.stop());
    for (const result of started) if (result.status === "rejected") throw result.reason;
    [a, b] = started.map((r) => (r as PromiseFulfilledResult<AppServer>).value) as [AppServer, AppServer];
    apiA = new Api(a.url);
    apiB = new Api(b.url);
  });

  afterAll(async () => {
    // Stopped here (and again, harmlessly, by the file's cleanup): the script's test below runs alone.
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function user(label: string): Promise<string> {
    const email = uniqueEmail(label);
    const res = await apiA.register(email, PASSWORD);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return email;
  }

  it("enforce a device deleted through A on B at its very next request", async () => {
    const email = await user("cluster-delete");
    const laptop = await apiB.device(email, PASSWORD, CHROME_MAC); // signed in on B
    const phone = await apiA.device(email, PASSWORD, SAFARI_IPHONE); // signed in on A
    // Accepted everywhere (which also puts both tokens in each instance's verified-token cache).
    for (const api of [apiA, apiB]) {
      await expectAccepted(api, phone.access_token, "the phone");
      await expectAccepted(api, laptop.access_token, "the laptop");
    }
    expect((await apiB.sessions(laptop.access_token)).body.sessions.map((s) => s.id).sort()).toEqual(
      [laptop.session_id, phone.session_id].sort(),
    );

    expect((await apiA.deleteSession(laptop.access_token, phone.session_id)).status).toBe(204);
    await expectRefused(apiB, phone.access_token, "the deleted phone, right after"); // no wait in between
    await expectRefused(apiA, phone.access_token, "the deleted phone");
    expect((await apiB.refresh(phone.refresh_token)).status).toBe(400);
    await expectAccepted(apiB, laptop.access_token, "the laptop that deleted it");
    expect((await apiB.sessions(laptop.access_token)).body.sessions.map((s) => s.id)).toEqual([laptop.session_id]);
  });

  it("enforce a log-out-everywhere made on B on A at the very next request", async () => {
    const email = await user("cluster-global");
    const devices = [
      await apiA.device(email, PASSWORD),
      await apiB.device(email, PASSWORD),
      await apiA.device(email, PASSWORD, SAFARI_IPHONE),
    ];
    for (const api of [apiA, apiB])
      for (const [i, d] of devices.entries()) await expectAccepted(api, d.access_token, `device ${i}`);

    expect((await apiB.logout(devices[1]!.access_token, "global")).status).toBe(204);
    for (const [i, d] of devices.entries())
      await expectRefused(apiA, d.access_token, `device ${i} after log out everywhere`);
    for (const [i, d] of devices.entries())
      await expectRefused(apiB, d.access_token, `device ${i} after log out everywhere`);
    for (const d of devices) expect((await apiA.refresh(d.refresh_token)).status).toBe(400);
    // Signing in again afterwards works, on either instance.
    await expectAccepted(apiB, (await apiA.device(email, PASSWORD)).access_token, "a new sign-in");
  });

  it("enforce a password change made on A on B: other devices out, the changer's new pair in", async () => {
    const email = await user("cluster-password");
    const changer = await apiA.device(email, PASSWORD);
    const others = [await apiB.device(email, PASSWORD), await apiB.device(email, PASSWORD, SAFARI_IPHONE)];
    for (const d of [changer, ...others]) await expectAccepted(apiB, d.access_token, "before the change");

    const changed = await apiA.changePassword(changer.access_token, PASSWORD, `${PASSWORD} 2`);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const fresh = changed.body as TokenBody;
    expect(fresh.session_id).toBe(changer.session_id);

    for (const [i, d] of others.entries())
      await expectRefused(apiB, d.access_token, `other device ${i} after the password change`);
    await expectRefused(apiB, changer.access_token, "the changer's token from before the change");
    await expectAccepted(apiB, fresh.access_token, "the changer's new token");
    for (const d of others) expect((await apiB.refresh(d.refresh_token)).status).toBe(400);
    const refreshed = await apiB.refresh(fresh.refresh_token);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    await expectAccepted(apiA, refreshed.body.access_token, "the changer's refreshed token");
    expect((await apiB.signIn(email, PASSWORD)).status).toBe(400);
    expect((await apiB.signIn(email, `${PASSWORD} 2`)).status).toBe(200);
  });

  it("push the sign-out to a browser's stream on B when its session is deleted through A", async () => {
    const email = await user("cluster-push");
    const admin = await apiA.device(email, PASSWORD, SAFARI_IPHONE);
    const browser = await signInBrowser(b.url, publicUrl, email, PASSWORD);
    const stream = await EventStream.open(`${b.url}/api/session/events`, browser.cookie);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      await stream.next("ready", 5_000);

      const sent = performance.now();
      const res = await apiA.deleteSession(admin.access_token, browser.sessionId);
      const answered = performance.now();
      expect(res.status).toBe(204);
      const signedOut = await stream.next("signed-out", PUSH_BUDGET_MS + 3_000);
      const delay = signedOut.at - sent;
      console.log(
        `cluster: delete on A -> "signed-out" on B's stream ${delay.toFixed(1)} ms after the request was sent ` +
          `(A's 204 arrived after ${(answered - sent).toFixed(1)} ms)`,
      );
      expect(JSON.parse(signedOut.data)).toEqual({ reason: "revoked" });
      expect(delay).toBeLessThan(PUSH_BUDGET_MS);
      await stream.waitEnded(2_000); // the server closes the stream after signed-out
      // And the cookie itself is refused on B: a new stream says signed-out at once.
      const again = await EventStream.open(`${b.url}/api/session/events`, browser.cookie);
      expect(JSON.parse((await again.next("signed-out", 5_000)).data)).toEqual({ reason: "revoked" });
      again.close();
    } finally {
      stream.close();
    }
  });

  it("push the sign-out to a browser's stream on A when B logs out everywhere", async () => {
    const email = await user("cluster-push-global");
    const phone = await apiB.device(email, PASSWORD, SAFARI_IPHONE);
    const browser = await signInBrowser(a.url, publicUrl, email, PASSWORD);
    const stream = await EventStream.open(`${a.url}/api/session/events`, browser.cookie);
    try {
      await stream.next("ready", 5_000);
      const sent = performance.now();
      expect((await apiB.logout(phone.access_token, "global")).status).toBe(204);
      const signedOut = await stream.next("signed-out", PUSH_BUDGET_MS + 3_000);
      const delay = signedOut.at - sent;
      console.log(
        `cluster: log out everywhere on B -> "signed-out" on A's stream ${delay.toFixed(1)} ms after the request was sent`,
      );
      expect(JSON.parse(signedOut.data)).toEqual({ reason: "everywhere" });
      expect(delay).toBeLessThan(PUSH_BUDGET_MS);
    } finally {
      stream.close();
    }
  });
});

// ---------------------------------------------------------------- scripts/start-cluster.ts

/** Two consecutive free loopback ports (the script uses port and port + 1). */
async function twoFreePorts(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port >= 65535) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port + 1, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no two consecutive free ports");
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("npm run start:cluster (scripts/start-cluster.ts)", () => {
  let child: ChildProcess | undefined;
  let stoppedCleanly = false;

  afterAll(async () => {
    // Only if the test failed half-way: the script and its instances are one process group of ours
    // (the instances may outlive a script that was killed).
    if (child?.pid && !stoppedCleanly) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  it("starts 2 instances on consecutive ports, sharing storage and keys, and stops them on SIGTERM", async () => {
    const port = await twoFreePorts();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: storage.databaseUrl,
      REDIS_URL: storage.redisUrl,
      REDIS_KEY_PREFIX: storage.prefix,
      RATE_LIMIT_SCALE: "1000",
      LOG_LEVEL: "warn",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "test",
    };
    // No secrets and no NODE_ENV=production: the script must generate one set shared by both instances.
    for (const name of [
      "AUTH_SECRET",
      "NEXTAUTH_SECRET",
      "JWT_SIGNING_KEYS",
      "APP_URL",
      "NEXTAUTH_URL",
      "CLUSTER_APP_URL",
      "JWT_ISSUER",
      "PGLITE_DATA_DIR",
    ])
      delete env[name];

    let output = "";
    const started = performance.now();
    // As `npm run start:cluster` runs it (node --import tsx, one process: signals reach the script itself).
    child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/start-cluster.ts", "--instances", "2", "--port", String(port)],
      {
        cwd: process.cwd(),
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // its own process group, so that a failed test can still remove every instance
      },
    );
    const script = child;
    script.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    script.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => script.once("exit", (code) => resolve(code)));

    await waitFor(
      "the cluster's ready line",
      async () => {
        if (script.exitCode !== null) throw new Error(`the script exited (${script.exitCode}):\n${output}`);
        // The last line of the ready message: the instance URLs before it may come in a later chunk.
        return output.includes("Ctrl-C stops them all.") ? true : undefined;
      },
      90_000,
      100,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- script output ---\n${output}`);
    });
    console.log(`cluster: start-cluster.ts ready after ${((performance.now() - started) / 1000).toFixed(1)} s`);

    expect(output).toContain("[migrate]");
    expect(output).toMatch(new RegExp(`\\[0:${port}\\] `));
    expect(output).toMatch(new RegExp(`\\[1:${port + 1}\\] `));
    expect(output).toContain(`http://127.0.0.1:${port + 1}`);
    // (A developer's .env file may hold secrets, which the script then uses instead.)
    if (![".env", ".env.local", ".env.production", ".env.production.local"].some((f) => existsSync(f)))
      expect(output).toMatch(/generated one set for this run/);

    const first = new Api(`http://127.0.0.1:${port}`);
    const second = new Api(`http://127.0.0.1:${port + 1}`);
    for (const api of [first, second]) {
      const health = await api.call("GET", "/api/health");
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: "ok", database: "postgresql", revocationStore: "redis" });
    }
    // One cluster: a token issued by instance 0 is accepted by instance 1, and revoked across them.
    const email = uniqueEmail("cluster-script");
    expect((await first.register(email, PASSWORD)).status).toBe(201);
    const device = await first.device(email, PASSWORD);
    const other = await second.device(email, PASSWORD);
    await expectAccepted(second, device.access_token, "a token of instance 0");
    expect((await second.deleteSession(other.access_token, device.session_id)).status).toBe(204);
    await expectRefused(first, device.access_token, "a device deleted through instance 1");

    script.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000))]);
    expect(code, output).toBe(0);
    expect(output).toContain("all instances stopped");
    expect(await portIsClosed(port)).toBe(true);
    expect(await portIsClosed(port + 1)).toBe(true);
    stoppedCleanly = true;
  });
});
