/**
 * examples/resource-server, a separate service, accepting the app's tokens: verified against the
 * app's JWKS, then checked for revocation through the app's Redis or its introspection endpoint.
 * A revocation made in the app is refused by the resource server on its very next request, in
 * both modes; when it cannot decide it answers 503, never "accept".
 *
 * Redis mode runs when REDIS_URL is set (the app then uses that Redis too); introspection mode
 * and the failure cases always run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { decodeJwt, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { es256LowS } from "../../src/core/access-tokens";
import { generateSigningKey } from "../../src/core/signing-keys";
import { Api, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { AppServer } from "../../scripts/lib/app-server";
import { testSecrets } from "../../scripts/lib/keys";
import { freePort, waitFor } from "../../scripts/lib/ports";
import { sharedRedisUrl, uniquePrefix } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

const ISSUER = "http://revocable.test"; // JWT_ISSUER of every test app
const PASSWORD = "correct horse battery";
const CLIENT = { id: "resource-server", secret: "resource-server-secret-0123456789" };
const SERVER = path.join(process.cwd(), "examples/resource-server/server.ts");

/** The example as its own process (`node --import tsx`, as `npm run example:resource-server` runs it). */
class ResourceServer {
  private output: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
  }

  /** `waitForRedis`: wait until its Redis connection is up, so a test does not race the first connect. */
  static async start(env: Record<string, string>, waitForRedis = !!env.REDIS_URL): Promise<ResourceServer> {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", SERVER], {
      cwd: process.cwd(),
      // Nothing inherited decides the mode: only what the test passes.
      env: {
        ...process.env,
        REDIS_URL: "",
        INTROSPECTION_CLIENT_ID: "",
        INTROSPECTION_CLIENT_SECRET: "",
        PORT: String(port),
        HOST: "127.0.0.1",
        TOKEN_ISSUER: ISSUER,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    const server = new ResourceServer(child, `http://127.0.0.1:${port}`);
    await waitFor(
      `the resource server on ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`the resource server exited:\n${server.logs}`);
        const res = await fetch(`${server.url}/health`);
        const body = (await res.json()) as { redis?: string };
        return res.ok && (!waitForRedis || body.redis === "ready") ? true : undefined;
      },
      30_000,
      100,
    );
    return server;
  }

  get logs(): string {
    return this.output.join("");
  }

  whoami(token?: string, method = "GET") {
    return fetch(`${this.url}/whoami`, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
    running.delete(this.child);
  }
}

/** Children still alive if this file dies mid-run: killed on exit, never left behind. */
const running = new Set<ChildProcess>();
process.once("exit", () => running.forEach((child) => child.kill("SIGKILL")));

let testApp: TestApp;
let rotatedApp: AppServer | undefined;
let api: Api;
let appEnv: Record<string, string>;
let signingKey: JWK & { kid: string };
const servers: ResourceServer[] = [];
/** One resource server per mode, started in beforeAll; Redis mode needs the app on a Redis (REDIS_URL). */
const modes: { name: string; server?: ResourceServer }[] = [
  { name: "introspection" },
  ...(sharedRedisUrl() ? [{ name: "redis" }] : []),
];

async function startResourceServer(env: Record<string, string>, waitForRedis?: boolean): Promise<ResourceServer> {
  const server = await ResourceServer.start({ AUTH_SERVER_URL: testApp.app.url, ...env }, waitForRedis);
  servers.push(server);
  return server;
}

const introspectionEnv = () => ({ INTROSPECTION_CLIENT_ID: CLIENT.id, INTROSPECTION_CLIENT_SECRET: CLIENT.secret });

beforeAll(async () => {
  const secrets = await testSecrets();
  signingKey = (JSON.parse(secrets.JWT_SIGNING_KEYS!) as { keys: (JWK & { kid: string })[] }).keys[0]!;
  appEnv = { ...secrets, REDIS_KEY_PREFIX: uniquePrefix("rs"), INTROSPECTION_CLIENTS: `${CLIENT.id}:${CLIENT.secret}` };
  testApp = await startTestApp("rs", appEnv);
  api = new Api(testApp.app.url);
  // JWKS_CACHE_SECONDS=1: the key-rotation test must not wait five minutes for the keys to be fetched again.
  // The servers start side by side (each is a process of its own that takes seconds to boot).
  const [introspecting, redis] = await Promise.all([
    startResourceServer({ ...introspectionEnv(), JWKS_CACHE_SECONDS: "1" }),
    modes[1]
      ? startResourceServer({
          REDIS_URL: testApp.redisUrl!,
          REDIS_KEY_PREFIX: appEnv.REDIS_KEY_PREFIX!,
          JWKS_CACHE_SECONDS: "1",
        })
      : undefined,
  ]);
  modes[0]!.server = introspecting;
  if (modes[1]) modes[1].server = redis;
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await rotatedApp?.stop();
  await testApp?.stop();
});

async function signedInUser(devices = 1): Promise<TokenBody[]> {
  const email = uniqueEmail("rs");
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  const result: TokenBody[] = [];
  for (let i = 0; i < devices; i++) result.push(await api.device(email, PASSWORD));
  return result;
}

async function expectAccepted(res: Response, token: string) {
  expect(res.status).toBe(200);
  const claims = decodeJwt(token);
  expect(await res.json()).toEqual({ sub: claims.sub, sid: claims.sid });
}

/** RFC 6750: 401, a Bearer challenge with error="invalid_token", and the JSON error body. */
async function expectRefused(res: Response, description?: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="resource-server", error="invalid_token"/);
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe("invalid_token");
  if (description) expect(body.error_description).toMatch(description);
}

async function expectUndecided(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(await res.json()).toMatchObject({ error: "temporarily_unavailable" });
}

/** The token with some claims or times changed, signed again with `key` (the app's own, or an attacker's). */
async function resign(
  token: string,
  key: CryptoKey | Uint8Array,
  kid: string,
  changes: Record<string, unknown>,
): Promise<string> {
  // In the low-s form the app issues (the app refuses the high-s twin).
  return es256LowS(
    await new SignJWT({ ...decodeJwt(token), ...changes })
      .setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt" })
      .sign(key),
  );
}

describe.each(modes)("revocation checked through $name", (mode) => {
  const rs = () => mode.server!;

  it("accepts a live token, and refuses it on the very next request once that device logs out in the app", async () => {
    const [phone, laptop] = (await signedInUser(2)) as [TokenBody, TokenBody];
    await expectAccepted(await rs().whoami(phone.access_token), phone.access_token);

    expect((await api.logout(phone.access_token)).status).toBe(204);

    await expectRefused(await rs().whoami(phone.access_token), /signed out/);
    await expectAccepted(await rs().whoami(laptop.access_token), laptop.access_token);
  });

  it("refuses every token of the user on the very next request after 'log out everywhere'", async () => {
    const [a, b] = (await signedInUser(2)) as [TokenBody, TokenBody];
    await expectAccepted(await rs().whoami(b.access_token), b.access_token);

    expect((await api.logout(a.access_token, "global")).status).toBe(204);

    await expectRefused(await rs().whoami(a.access_token), /signed out/);
    await expectRefused(await rs().whoami(b.access_token), /signed out/);
  });

  it("refuses expired, forged, mistyped and missing tokens (RFC 6750); a perfectly forged live one, the control, passes", async () => {
    const [device] = (await signedInUser(1)) as [TokenBody];
    const realKey = (await importJWK(signingKey, "ES256")) as CryptoKey;
    const now = Math.floor(Date.now() / 1000);
    await expectAccepted(
      await rs().whoami(await resign(device.access_token, realKey, signingKey.kid, { iat: now, exp: now + 60 })),
      device.access_token,
    );

    await expectRefused(
      await rs().whoami(await resign(device.access_token, realKey, signingKey.kid, { iat: now - 400, exp: now - 60 })),
      /expired/,
    );
    const attacker = await generateKeyPair("ES256");
    await expectRefused(await rs().whoami(await resign(device.access_token, attacker.privateKey, signingKey.kid, {})));
    await expectRefused(
      await rs().whoami(await resign(device.access_token, realKey, signingKey.kid, { aud: "another-api" })),
    );
    await expectRefused(await rs().whoami(device.refresh_token));
    await expectRefused(await rs().whoami("not-a-token"));

    const missing = await rs().whoami();
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="resource-server"');
    expect(await missing.json()).toMatchObject({ error: "invalid_token" });
  });

  it("answers /health, 404 and 405 in JSON", async () => {
    expect(await (await fetch(`${rs().url}/health`)).json()).toMatchObject({
      status: "ok",
      revocationCheck: mode.name,
    });
    const unknown = await fetch(`${rs().url}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "not_found" });
    const post = await rs().whoami(undefined, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });
});

describe("when it cannot decide", () => {
  it("Redis unreachable: falls back to introspection when configured (live accepted, revoked refused), else 503", async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const [withFallback, redisOnly, [a, b]] = await Promise.all([
      startResourceServer({ REDIS_URL: deadRedis, ...introspectionEnv() }, false),
      startResourceServer({ REDIS_URL: deadRedis }, false),
      signedInUser(2) as Promise<[TokenBody, TokenBody]>,
    ]);

    await expectAccepted(await withFallback.whoami(a.access_token), a.access_token);
    await expectUndecided(await redisOnly.whoami(a.access_token));
    expect((await api.logout(a.access_token)).status).toBe(204);
    await expectRefused(await withFallback.whoami(a.access_token), /signed out/);
    await expectAccepted(await withFallback.whoami(b.access_token), b.access_token);
  });

  it.skipIf(!sharedRedisUrl())("Redis without the app's ready marker (flushed, not yet resynced): 503", async () => {
    const [device] = (await signedInUser(1)) as [TokenBody];
    const wiped = await startResourceServer({
      REDIS_URL: sharedRedisUrl()!,
      REDIS_KEY_PREFIX: uniquePrefix("rs-wiped"),
    });
    await expectUndecided(await wiped.whoami(device.access_token));
  });

  it("wrong introspection credentials: 503, and the app's keys unreachable: 503", async () => {
    const [[device], wrongSecret, noApp] = await Promise.all([
      signedInUser(1) as Promise<[TokenBody]>,
      startResourceServer({
        INTROSPECTION_CLIENT_ID: CLIENT.id,
        INTROSPECTION_CLIENT_SECRET: `${CLIENT.secret}-wrong`,
      }),
      startResourceServer({ ...introspectionEnv(), AUTH_SERVER_URL: `http://127.0.0.1:${await freePort()}` }),
    ]);
    await expectUndecided(await wrongSecret.whoami(device.access_token));
    expect(wrongSecret.logs).toMatch(/introspection_failed.*401/);
    await expectUndecided(await noApp.whoami(device.access_token));
  });
});

describe("signing keys", () => {
  it("a token of a key the app has removed is refused once the keys are fetched again; new tokens pass", async () => {
    const [device] = (await signedInUser(1)) as [TokenBody];
    for (const { server } of modes)
      await expectAccepted(await server!.whoami(device.access_token), device.access_token);

    // The app restarts with only a new key (the old one retired or compromised): same data, same URL.
    const newKey = await generateSigningKey();
    await testApp.app.stop();
    rotatedApp = await AppServer.start(
      { ...testApp.env, JWT_SIGNING_KEYS: JSON.stringify({ keys: [newKey] }) },
      testApp.app.port,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // JWKS_CACHE_SECONDS=1 of these servers

    const email = uniqueEmail("rs-rotated");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const renewed = await api.device(email, PASSWORD);
    for (const { server } of modes) {
      // Refused by the key check itself, before any revocation check.
      await expectRefused(await server!.whoami(device.access_token), /not valid/);
      await expectAccepted(await server!.whoami(renewed.access_token), renewed.access_token);
    }
  });
});
