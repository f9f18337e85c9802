/**
 * MAX_SESSIONS_PER_USER against the real app: a sign-in beyond the limit signs the oldest session
 * (by creation) out, never the new one, also when many sign-ins of one user arrive at once.
 * Runs on whatever storage the environment names (PostgreSQL + Redis, or PGlite + in-process).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail, type TokenBody } from "../../scripts/lib/api-client";
import { queryDatabase } from "../support/private-postgres";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

const PASSWORD = "correct horse battery";
const LIMIT = 2;
let testApp: TestApp;
let api: Api;

beforeAll(async () => {
  testApp = await startTestApp("limit", { MAX_SESSIONS_PER_USER: String(LIMIT) });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

async function newUser(): Promise<string> {
  const email = uniqueEmail("limit");
  expect((await api.register(email, PASSWORD)).status).toBe(201);
  return email;
}

/** How the database recorded the end of these sessions (PostgreSQL only: PGlite belongs to the app). */
async function revokedReasons(ids: string[]): Promise<(string | null)[] | null> {
  if (!testApp.database.url) return null;
  const rows = await queryDatabase<{ revoked_reason: string | null }>(
    testApp.database.url,
    "SELECT revoked_reason FROM device_sessions WHERE id = ANY($1) ORDER BY id",
    [ids],
  );
  return rows.map((r) => r.revoked_reason);
}

describe("MAX_SESSIONS_PER_USER=2", () => {
  it("the third sign-in signs out the oldest by creation, even though it was used last; the other two keep working", async () => {
    const email = await newUser();
    const oldest = await api.device(email, PASSWORD);
    const middle = await api.device(email, PASSWORD);
    const oldestNow = await api.refresh(oldest.refresh_token); // the most recently active device
    expect(oldestNow.status).toBe(200);

    const newest = await api.device(email, PASSWORD);

    expect((await api.me(oldestNow.body.access_token)).status).toBe(401);
    expect((await api.refresh(oldestNow.body.refresh_token)).body).toMatchObject({ error: "invalid_grant" });
    expect((await api.me(middle.access_token)).status).toBe(200);
    expect((await api.me(newest.access_token)).status).toBe(200);
    const listed = (await api.sessions(newest.access_token)).body.sessions.map((s) => s.id).sort();
    expect(listed).toEqual([middle.session_id, newest.session_id].sort());
    const reasons = await revokedReasons([oldest.session_id]);
    if (reasons) expect(reasons).toEqual(["session_limit"]);
  });

  it("eight concurrent sign-ins: all answered, exactly two sessions live, both new, the earlier ones signed out", async () => {
    const email = await newUser();
    const earlier = [await api.device(email, PASSWORD), await api.device(email, PASSWORD)];

    const results = await Promise.all(Array.from({ length: 8 }, () => api.signIn(email, PASSWORD)));

    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const fresh = results.map((r) => r.body);
    const alive: TokenBody[] = [];
    for (const pair of fresh) if ((await api.me(pair.access_token)).status === 200) alive.push(pair);
    expect(alive).toHaveLength(LIMIT);
    for (const pair of earlier) expect((await api.me(pair.access_token)).status).toBe(401);
    const listed = (await api.sessions(alive[0]!.access_token)).body.sessions.map((s) => s.id).sort();
    expect(listed).toEqual(alive.map((p) => p.session_id).sort());
    const reasons = await revokedReasons(
      [...earlier, ...fresh.filter((p) => !alive.includes(p))].map((p) => p.session_id),
    );
    if (reasons) expect(reasons).toEqual(Array(8).fill("session_limit"));
  });
});
