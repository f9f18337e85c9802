import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail, type ApiResponse, type TokenBody } from "../../scripts/lib/api-client";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

/**
 * Concurrency over HTTP: the outcomes that must hold whatever the interleaving.
 * - Parallel refreshes with one token all succeed with one successor (ADR 2).
 * - A refresh racing a revocation: the revocation wins, always (ADR 3's ordering argument).
 * - A password change racing a sign-in with the old password: no live session on the old epoch.
 * - Two "log out everywhere" at once: everything is refused afterwards, the epoch is consistent.
 * Storage follows DATABASE_URL / REDIS_URL like every integration test.
 */
const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "battery staple horse";

let testApp: TestApp;
let api: Api;

beforeAll(async () => {
  // The default grace window (10 s): 20 parallel refreshes on a loaded 2-core machine must not outlast it.
  testApp = await startTestApp("races", { REFRESH_GRACE_SECONDS: "10" });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function claimsOf(token: string): { sub: string; sid: string; sv: number; iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as {
    sub: string;
    sid: string;
    sv: number;
    iat: number;
    exp: number;
  };
}

async function newUser(label: string, devices: number) {
  const email = uniqueEmail(label);
  const registered = await api.register(email, PASSWORD);
  expect(registered.status).toBe(201);
  const tokens: TokenBody[] = [];
  for (let i = 0; i < devices; i++) tokens.push(await api.device(email, PASSWORD));
  return { email, userId: registered.body.user.id, tokens };
}

function describeRes(res: ApiResponse<unknown>) {
  return `${res.status} ${JSON.stringify(res.body)}`;
}

async function expectRefused(token: string, label: string) {
  const res = await api.me(token);
  expect(res.status, `${label}: ${describeRes(res)}`).toBe(401);
}

describe("parallel refreshes with one refresh token", () => {
  it("N = 20 at once: all 200, one successor, one session", async () => {
    const { tokens } = await newUser("par", 1);
    const [device] = tokens as [TokenBody];
    const results = await Promise.all(Array.from({ length: 20 }, () => api.refresh(device.refresh_token)));
    for (const res of results) expect(res.status, describeRes(res)).toBe(200);
    const successors = new Set(results.map((r) => r.body.refresh_token));
    expect(successors.size).toBe(1);
    expect(new Set(results.map((r) => r.body.session_id))).toEqual(new Set([device.session_id]));
    for (const res of results) expect(claimsOf(res.body.access_token).sid).toBe(device.session_id);

    // Every access token handed out works; the session is still one device.
    const me = await Promise.all(results.map((r) => api.me(r.body.access_token)));
    for (const res of me) expect(res.status).toBe(200);
    const list = await api.sessions(results[0]!.body.access_token);
    expect(list.body.sessions.map((s) => s.id)).toEqual([device.session_id]);

    // The successor rotates once more, and 20 parallel uses of it behave the same.
    const [successor] = [...successors] as [string];
    const second = await Promise.all(Array.from({ length: 20 }, () => api.refresh(successor)));
    for (const res of second) expect(res.status, describeRes(res)).toBe(200);
    expect(new Set(second.map((r) => r.body.refresh_token)).size).toBe(1);
    expect(second[0]!.body.refresh_token).not.toBe(successor);
  });
});

describe("a refresh racing a revocation of its session", () => {
  it("the revoke wins, always (20 rounds at varied offsets)", async () => {
    const { email, tokens } = await newUser("rr", 1);
    const [keeper] = tokens as [TokenBody];
    const outcomes = { refreshWon: 0, refreshLost: 0 };
    for (let round = 0; round < 20; round++) {
      const victim = await api.device(email, PASSWORD);
      // Shift one request against the other (-20..+18 ms) so they meet at different points.
      const offset = (round - 10) * 2;
      const [refresh, revoke] = await Promise.all([
        sleep(Math.max(0, -offset)).then(() => api.refresh(victim.refresh_token)),
        sleep(Math.max(0, offset)).then(() => api.deleteSession(keeper.access_token, victim.session_id)),
      ]);
      expect(revoke.status, `round ${round}: the revocation ${describeRes(revoke)}`).toBe(204);
      expect([200, 400], `round ${round}: the refresh ${describeRes(refresh)}`).toContain(refresh.status);

      // Afterwards: every token that exists for this session is refused.
      await expectRefused(victim.access_token, `round ${round}: the original access token`);
      const reuse = await api.refresh(victim.refresh_token);
      expect(reuse.status, `round ${round}: the original refresh token ${describeRes(reuse)}`).toBe(400);
      if (refresh.status === 200) {
        outcomes.refreshWon++;
        expect(refresh.body.session_id).toBe(victim.session_id);
        await expectRefused(refresh.body.access_token, `round ${round}: the access token the refresh issued`);
        const next = await api.refresh(refresh.body.refresh_token);
        expect(next.status, `round ${round}: the refresh token the refresh issued ${describeRes(next)}`).toBe(400);
      } else {
        outcomes.refreshLost++;
        expect(refresh.body).toMatchObject({ error: "invalid_grant" });
      }
      const list = await api.sessions(keeper.access_token);
      expect(
        list.body.sessions.map((s) => s.id),
        `round ${round}`,
      ).toEqual([keeper.session_id]);
    }
    expect((await api.me(keeper.access_token)).status).toBe(200);
    console.info(`refresh vs revoke: ${JSON.stringify(outcomes)}`);
  });

  it("a refresh racing 'log out everywhere': the epoch wins, always (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const { tokens } = await newUser("rg", 2);
      const [keeper, victim] = tokens as [TokenBody, TokenBody];
      const offset = (round - 5) * 3;
      const [refresh, logout] = await Promise.all([
        sleep(Math.max(0, -offset)).then(() => api.refresh(victim.refresh_token)),
        sleep(Math.max(0, offset)).then(() => api.logout(keeper.access_token, "global")),
      ]);
      expect(logout.status, `round ${round}: ${describeRes(logout)}`).toBe(204);
      await expectRefused(victim.access_token, `round ${round}: the original access token`);
      await expectRefused(keeper.access_token, `round ${round}: the caller's access token`);
      expect((await api.refresh(victim.refresh_token)).status).toBe(400);
      if (refresh.status === 200) {
        await expectRefused(refresh.body.access_token, `round ${round}: the access token the refresh issued`);
        const next = await api.refresh(refresh.body.refresh_token);
        expect(next.status, `round ${round}: the refresh token the refresh issued ${describeRes(next)}`).toBe(400);
      } else {
        expect(refresh.status, describeRes(refresh)).toBe(400);
      }
    }
  });

  it("many refreshes and a revocation at once: none of the refreshes' tokens survives", async () => {
    const { email, tokens } = await newUser("rr-many", 1);
    const [keeper] = tokens as [TokenBody];
    for (let round = 0; round < 5; round++) {
      const victim = await api.device(email, PASSWORD);
      const refreshes = Array.from({ length: 8 }, (_, i) => sleep(i * 3).then(() => api.refresh(victim.refresh_token)));
      const revoke = sleep(8).then(() => api.deleteSession(keeper.access_token, victim.session_id));
      const [revoked, ...results] = await Promise.all([revoke, ...refreshes]);
      expect(revoked!.status).toBe(204);
      for (const res of results as ApiResponse<TokenBody>[]) {
        if (res.status !== 200) continue;
        await expectRefused(res.body.access_token, `round ${round}: a refreshed access token`);
        expect((await api.refresh(res.body.refresh_token)).status).toBe(400);
      }
    }
  });
});

describe("a password change racing a sign-in with the old password on another device", () => {
  it("never leaves a live session on the old password's epoch (10 rounds at varied offsets)", async () => {
    // How long a sign-in takes here (argon2): the offsets sweep across the whole change.
    const probe = await newUser("pwprobe", 0);
    const t0 = Date.now();
    await api.device(probe.email, PASSWORD);
    const signInMs = Date.now() - t0;

    const outcomes = { signInFailed: 0, signInRefusedAfter: 0 };
    for (let round = 0; round < 10; round++) {
      const { email, tokens } = await newUser("pw", 1);
      const [changer] = tokens as [TokenBody];
      const delay = Math.round((round / 9) * signInMs * 1.5);
      const [changed, signIn] = await Promise.all([
        api.changePassword(changer.access_token, PASSWORD, NEW_PASSWORD),
        sleep(delay).then(() => api.signIn(email, PASSWORD)),
      ]);
      expect(changed.status, `round ${round}: the change ${describeRes(changed)}`).toBe(200);
      await expectRefused(changer.access_token, `round ${round}: the changer's old token`);
      expect((await api.me(changed.body.access_token)).status).toBe(200);

      if (signIn.status === 200) {
        // It signed in with the old password: its tokens must be dead now the change is done.
        outcomes.signInRefusedAfter++;
        await expectRefused(
          signIn.body.access_token,
          `round ${round} (offset ${delay} ms): the old-password sign-in's access token`,
        );
        const refreshed = await api.refresh(signIn.body.refresh_token);
        expect(
          refreshed.status,
          `round ${round}: the old-password sign-in's refresh token ${describeRes(refreshed)}`,
        ).toBe(400);
        expect(claimsOf(signIn.body.access_token).sv).toBeLessThan(claimsOf(changed.body.access_token).sv);
      } else {
        outcomes.signInFailed++;
        expect(signIn.status, `round ${round}: ${describeRes(signIn)}`).toBe(400);
        expect(signIn.body).toMatchObject({ error: "invalid_grant" });
      }
      // The devices list shows only the changer; the old password no longer works, the new one does.
      const list = await api.sessions(changed.body.access_token);
      expect(
        list.body.sessions.map((s) => s.id),
        `round ${round}`,
      ).toEqual([changer.session_id]);
      expect((await api.signIn(email, PASSWORD)).status).toBe(400);
      expect((await api.signIn(email, NEW_PASSWORD)).status).toBe(200);
    }
    console.info(`password change vs sign-in (sign-in ${signInMs} ms): ${JSON.stringify(outcomes)}`);
  });

  it("two password changes at once from two devices: one wins, the loser's device is signed out", async () => {
    for (let round = 0; round < 3; round++) {
      const { email, tokens } = await newUser("pw2", 2);
      const [a, b] = tokens as [TokenBody, TokenBody];
      const [ra, rb] = await Promise.all([
        api.changePassword(a.access_token, PASSWORD, `${NEW_PASSWORD} a`),
        api.changePassword(b.access_token, PASSWORD, `${NEW_PASSWORD} b`),
      ]);
      const winners = [ra, rb].filter((r) => r.status === 200);
      expect(winners, `round ${round}: ${describeRes(ra)} / ${describeRes(rb)}`).toHaveLength(1);
      for (const loser of [ra, rb].filter((r) => r.status !== 200))
        expect([400, 401], describeRes(loser)).toContain(loser.status);
      const winnerPassword = ra.status === 200 ? `${NEW_PASSWORD} a` : `${NEW_PASSWORD} b`;
      const loserToken = ra.status === 200 ? b : a;
      await expectRefused(loserToken.access_token, `round ${round}: the losing device`);
      expect((await api.refresh(loserToken.refresh_token)).status).toBe(400);
      expect((await api.me(winners[0]!.body.access_token)).status).toBe(200);
      expect((await api.signIn(email, winnerPassword)).status).toBe(200);
      expect((await api.signIn(email, PASSWORD)).status).toBe(400);
    }
  });
});

describe("two 'log out everywhere' at once from two devices", () => {
  it("both 204 or one 401; afterwards everything is refused, sign-in works, and the epoch moved by the successes", async () => {
    const outcomes = { both: 0, one: 0 };
    for (let round = 0; round < 5; round++) {
      const { email, userId, tokens } = await newUser("glob", 3);
      const [a, b, c] = tokens as [TokenBody, TokenBody, TokenBody];
      const epochBefore = claimsOf(a.access_token).sv;
      const [ra, rb] = await Promise.all([api.logout(a.access_token, "global"), api.logout(b.access_token, "global")]);
      const statuses = [ra.status, rb.status].sort();
      expect(
        [
          [204, 204],
          [204, 401],
        ],
        `round ${round}: ${describeRes(ra)} / ${describeRes(rb)}`,
      ).toContainEqual(statuses);
      const successes = statuses.filter((s) => s === 204).length;
      outcomes[successes === 2 ? "both" : "one"]++;

      for (const [name, t] of Object.entries({ a, b, c })) {
        await expectRefused(t.access_token, `round ${round}: device ${name}`);
        const res = await api.refresh(t.refresh_token);
        expect(res.status, `round ${round}: device ${name}'s refresh ${describeRes(res)}`).toBe(400);
      }

      const again = await api.device(email, PASSWORD);
      const epochAfter = claimsOf(again.access_token).sv;
      expect(epochAfter, `round ${round}: ${successes} successful log-outs`).toBe(epochBefore + successes);
      expect((await api.me(again.access_token)).status).toBe(200);
      expect((await api.sessions(again.access_token)).body.sessions.map((s) => s.id)).toEqual([again.session_id]);
      if (testApp.database.url) {
        const rows = await queryEpoch(testApp.database.url, userId);
        expect(rows).toBe(epochAfter);
      }
    }
    console.info(`two global log-outs: ${JSON.stringify(outcomes)}`);
  });
});

async function queryEpoch(url: string, userId: string): Promise<number> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ session_epoch: number }>("SELECT session_epoch FROM users WHERE id = $1", [
      userId,
    ]);
    return rows[0]!.session_epoch;
  } finally {
    await client.end();
  }
}
