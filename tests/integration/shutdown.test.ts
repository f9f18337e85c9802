/**
 * Graceful shutdown of the production server (server.mjs) on SIGTERM: it stops accepting
 * connections, finishes the requests in flight, ends open event streams, closes Redis (QUIT), the
 * database and PGlite (its lock file is removed) and exits 0. Then a rolling restart of one of two
 * instances under traffic, on PostgreSQL + Redis (two instances need shared storage: skipped on
 * the embedded default).
 *
 * The app gets a private redis-server, so that what its clients sent (QUIT) can be counted there.
 */
import { existsSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { AppServer } from "../../scripts/lib/app-server";
import { usingPostgres } from "../../scripts/lib/databases";
import { PrivateRedis, sharedRedisUrl } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";

const PASSWORD = "correct horse battery";

/** Resolves once a new TCP connection to `port` is refused; fails after `timeoutMs`. */
async function refusedWithin(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The calls Redis counted for one command (INFO commandstats). */
async function commandCalls(url: string, command: string): Promise<number> {
  const client = new Redis(url);
  try {
    const stats = await client.info("commandstats");
    return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

describe("SIGTERM", () => {
  let redis: PrivateRedis;
  let testApp: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    testApp = await startTestApp("shutdown", { REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await testApp?.stop();
    await redis?.stop();
  });

  it("finishes the request in flight, refuses new connections, ends event streams, closes Redis and PGlite, exits 0", async () => {
    const { url, port } = testApp.app;
    const email = uniqueEmail("shutdown");
    expect((await new Api(url).register(email, PASSWORD)).status).toBe(201);

    // An open event stream (a signed-in browser's live sign-out channel).
    const browser = await browserSignIn(url, email, PASSWORD);
    const stream = await fetch(`${url}/api/session/events`, {
      headers: { cookie: cookieHeader(browser.cookies), accept: "text/event-stream" },
    });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let received = "";
    while (!received.includes("event: ready")) received += new TextDecoder().decode((await reader.read()).value);
    const streamEnded = (async () => {
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
    })();

    // A sign-in whose headers the server has read (100 Continue) and whose body is still to come.
    const body = new URLSearchParams({ grant_type: "password", username: email, password: PASSWORD }).toString();
    const inFlight = request(`${url}/api/auth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
        expect: "100-continue",
      },
    });
    const answer = new Promise<IncomingMessage>((resolve, reject) =>
      inFlight.once("response", resolve).once("error", reject),
    );
    await new Promise((resolve) => inFlight.once("continue", resolve));

    const quitsBefore = await commandCalls(redis.url, "quit");
    const exited = testApp.app.stop(); // SIGTERM (SIGKILL after 5 s)
    await refusedWithin(port, 3_000);
    expect(await streamEnded).toBe(true);

    inFlight.end(body);
    const res = await answer;
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({ token_type: "Bearer" });

    expect(await exited).toEqual({ code: 0, signal: null });
    expect(await commandCalls(redis.url, "quit")).toBeGreaterThan(quitsBefore);
    if (testApp.database.kind === "pglite") {
      expect(existsSync(`${testApp.env.PGLITE_DATA_DIR}.lock`)).toBe(false);
    }
  });
});

/**
 * Two instances behind a loopback round-robin proxy that, like a load balancer, sends a request
 * whose connection is refused to the other instance (connection refused means the instance never
 * saw it, so the retry cannot run it twice), and, like nginx's default `proxy_next_upstream error`,
 * also retries an idempotent request (GET, HEAD) whose connection was reset before any answer (a
 * connection the kernel accepted just as the stopping instance closed its listener). One instance is stopped with SIGTERM and started again
 * while four clients keep calling; no call may fail and no revoked token may be accepted.
 */
describe.skipIf(!usingPostgres() || !sharedRedisUrl())("a rolling restart of one of two instances", () => {
  let first: TestApp;
  let second: AppServer;
  let balancer: Server;
  let balancerUrl: string;

  beforeAll(async () => {
    first = await startTestApp("rolling");
    second = await AppServer.start(first.env);
    const ports = [first.app.port, second.port];
    let turn = 0;
    balancer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const start = turn++;
        const forward = (attempt: number) => {
          const upstream = request(
            {
              host: "127.0.0.1",
              port: ports[(start + attempt) % ports.length],
              method: req.method,
              path: req.url,
              headers: req.headers,
              agent: false,
            },
            (answer) => {
              res.writeHead(answer.statusCode!, answer.headers);
              answer.pipe(res);
            },
          );
          upstream.on("error", (error: NodeJS.ErrnoException) => {
            const retryable =
              error.code === "ECONNREFUSED" || (error.code === "ECONNRESET" && /^(GET|HEAD)$/.test(req.method ?? ""));
            if (retryable && !res.headersSent && attempt < ports.length - 1) forward(attempt + 1);
            else if (!res.headersSent) res.writeHead(502).end(error.code);
          });
          upstream.end(Buffer.concat(chunks));
        };
        forward(0);
      });
    });
    await new Promise<void>((resolve) => balancer.listen(0, "127.0.0.1", resolve));
    balancerUrl = `http://127.0.0.1:${(balancer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => balancer?.close(resolve));
    await second?.stop();
    await first?.stop();
  });

  it("loses no request and accepts no revoked token", async () => {
    const api = new Api(balancerUrl);
    const email = uniqueEmail("rolling");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const live = (await api.signIn(email, PASSWORD)).body.access_token;
    const revoked = (await api.signIn(email, PASSWORD)).body.access_token;
    const laterRevoked = (await api.signIn(email, PASSWORD)).body.access_token;
    expect((await api.logout(revoked)).status).toBe(204);

    const outcomes: string[] = [];
    let running = true;
    let revokeLater = false;
    const client = async () => {
      while (running) {
        const checkLater = revokeLater; // only calls sent after the revocation answered must be refused
        const [a, b, c] = await Promise.all([api.me(live), api.me(revoked), api.me(laterRevoked)]);
        outcomes.push(`live ${a.status}`, `revoked ${b.status}`);
        if (checkLater) outcomes.push(`later-revoked ${c.status}`);
      }
    };
    const clients = [client(), client(), client(), client()];
    try {
      const beforeStop = outcomes.length;
      expect(await first.app.stop()).toEqual({ code: 0, signal: null });
      // Revoked while one instance is down: the one coming back must refuse it too.
      expect((await api.logout(laterRevoked)).status).toBe(204);
      revokeLater = true;
      await first.app.start();
      const afterRestart = outcomes.length;
      expect(afterRestart).toBeGreaterThan(beforeStop); // calls were answered while it was down and starting
      while (outcomes.length < afterRestart + 40) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      running = false;
      await Promise.all(clients);
    }

    expect([...new Set(outcomes)].sort()).toEqual(["later-revoked 401", "live 200", "revoked 401"]);
  });
});
