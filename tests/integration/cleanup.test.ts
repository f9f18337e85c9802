/**
 * `npm run db:cleanup` (the real script, as its own process): it deletes exactly the sessions that
 * ended before the retention and the events older than theirs, keeps live sessions (which go on
 * working in the running app), deletes nothing in a dry run, and two runs at once share the work.
 * Rows are seeded with old dates directly in the app's database.
 *
 * Storage: a running app's database can only be shared with another process on PostgreSQL, so the
 * app runs on PostgreSQL in both CI modes (tests/support/ops-app.ts); one more test runs the
 * script on an embedded PGlite folder no app holds.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/server/db/prisma";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { startOpsApp, type OpsApp } from "../support/ops-app";
import { queryDatabase } from "../support/private-postgres";
import { runScript } from "../support/run-script";

const PASSWORD = "correct horse battery";
let ops: OpsApp;
let api: Api;

beforeAll(async () => {
  ops = await startOpsApp("cleanup", { redis: true });
  api = new Api(ops.testApp.app.url);
});

afterAll(async () => {
  await ops?.stop();
});

interface CleanupJson {
  dryRun: boolean;
  sessions: number;
  events: number | null;
  challenges: number;
}

async function cleanup(args: string[] = [], env: Record<string, string> = {}): Promise<CleanupJson> {
  const result = await runScript("scripts/db-cleanup.ts", ["--json", ...args], { ...ops.env, ...env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as CleanupJson;
}

function sql<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  return queryDatabase<R>(ops.databaseUrl, text, params);
}

const ago = (days: number) => `now() - interval '${days} days'`;
const FUTURE = "now() + interval '10 days'";

/**
 * Users and sessions in every state, with the default retention (30 days for ended sessions, 90
 * for events): which session ids must go and which must stay, and how many events are old.
 */
function fixture() {
  const tag = randomUUID().slice(0, 8);
  const plain = randomUUID();
  const outdatedLongAgo = randomUUID(); // epoch raised 31 days ago
  const outdatedRecently = randomUUID(); // epoch raised yesterday
  const users = [
    `INSERT INTO users (id, email, password_hash, session_epoch, epoch_changed_at, updated_at) VALUES ('${plain}', 'plain-${tag}@example.com', 'x', 0, NULL, now())`,
    `INSERT INTO users (id, email, password_hash, session_epoch, epoch_changed_at, updated_at) VALUES ('${outdatedLongAgo}', 'old-${tag}@example.com', 'x', 2, ${ago(31)}, now())`,
    `INSERT INTO users (id, email, password_hash, session_epoch, epoch_changed_at, updated_at) VALUES ('${outdatedRecently}', 'new-${tag}@example.com', 'x', 1, ${ago(1)}, now())`,
  ];
  const rows: [
    name: string,
    user: string,
    epoch: number,
    created: string,
    idle: string,
    absolute: string,
    revoked: string,
    gone: boolean,
  ][] = [
    ["revoked-31d", plain, 0, ago(60), FUTURE, FUTURE, ago(31), true],
    ["revoked-29d", plain, 0, ago(60), FUTURE, FUTURE, ago(29), false],
    ["idle-expired-31d", plain, 0, ago(60), ago(31), FUTURE, "NULL", true],
    ["absolute-expired-31d", plain, 0, ago(100), FUTURE, ago(31), "NULL", true],
    ["idle-expired-2d", plain, 0, ago(20), ago(2), FUTURE, "NULL", false],
    ["live-signed-in-200d-ago", plain, 0, ago(200), FUTURE, FUTURE, "NULL", false],
    ["outdated-epoch-31d", outdatedLongAgo, 1, ago(40), FUTURE, FUTURE, "NULL", true],
    ["current-epoch", outdatedLongAgo, 2, ago(20), FUTURE, FUTURE, "NULL", false],
    ["outdated-epoch-1d", outdatedRecently, 0, ago(20), FUTURE, FUTURE, "NULL", false],
  ];
  const sessions = rows.map(
    ([name, user, epoch, created, idle, absolute, revoked]) =>
      `INSERT INTO device_sessions (id, user_id, epoch, created_at, last_active_at, idle_expires_at, absolute_expires_at, revoked_at) ` +
      `VALUES ('${tag}-${name}', '${user}', ${epoch}, ${created}, ${created}, ${idle}, ${absolute}, ${revoked})`,
  );
  const events = [
    ...[91, 91, 91, 89].map(
      (days) => `INSERT INTO session_events (user_id, type, created_at) VALUES ('${plain}', 'signed_in', ${ago(days)})`,
    ),
    // The outbox's mail goes with the events it tells of.
    ...[91, 89].map(
      (days) =>
        `INSERT INTO mail_outbox (recipient, subject, body, created_at) VALUES ('${tag}@example.com', 's', 'b', ${ago(days)})`,
    ),
  ];
  return {
    tag,
    statements: [...users, ...sessions, ...events],
    gone: rows.filter((r) => r[7]).map((r) => `${tag}-${r[0]}`),
    kept: rows.filter((r) => !r[7]).map((r) => `${tag}-${r[0]}`),
    oldEvents: 4, // 3 events + 1 mail
    userIds: [plain, outdatedLongAgo, outdatedRecently],
  };
}

async function seed(): Promise<ReturnType<typeof fixture>> {
  const f = fixture();
  for (const statement of f.statements) await sql(statement);
  return f;
}

async function sessionIdsLike(tag: string): Promise<string[]> {
  return (await sql<{ id: string }>("SELECT id FROM device_sessions WHERE id LIKE $1 ORDER BY id", [`${tag}-%`])).map(
    (r) => r.id,
  );
}

async function eventCount(userIds: string[]): Promise<number> {
  const [row] = await sql<{ n: number }>(
    "SELECT count(*)::int AS n FROM session_events WHERE user_id = ANY($1::uuid[])",
    [userIds],
  );
  return row!.n;
}

describe("npm run db:cleanup, with the app running", () => {
  it("a dry run counts exactly what would go, and deletes nothing", async () => {
    const f = await seed();
    const report = await cleanup(["--dry-run"]);
    expect(report).toMatchObject({ dryRun: true, sessions: f.gone.length, events: f.oldEvents });
    expect(await sessionIdsLike(f.tag)).toEqual([...f.gone, ...f.kept].sort());
    expect(await eventCount(f.userIds)).toBe(4);
    await cleanup(); // leave nothing eligible for the next test
  });

  it("deletes exactly the ended sessions and old events; live sessions keep working; a second run finds nothing", async () => {
    const email = uniqueEmail("cleanup");
    await api.register(email, PASSWORD);
    const device = await api.device(email, PASSWORD);
    const f = await seed();

    expect(await cleanup()).toMatchObject({ dryRun: false, sessions: f.gone.length, events: f.oldEvents });

    expect(await sessionIdsLike(f.tag)).toEqual([...f.kept].sort());
    expect(await eventCount(f.userIds)).toBe(1);
    expect((await api.me(device.access_token)).status).toBe(200);
    const rotated = await api.refresh(device.refresh_token);
    expect(rotated.status).toBe(200);
    expect((await api.me(rotated.body.access_token)).status).toBe(200);

    expect(await cleanup()).toMatchObject({ sessions: 0, events: 0 });
  });

  it("two runs at once share the work in small batches: every row deleted once, counts add up, the app keeps answering", async () => {
    const owner = randomUUID();
    const rows = 3000;
    await sql(`INSERT INTO users (id, email, password_hash, updated_at) VALUES ($1, $2, 'x', now())`, [
      owner,
      `bulk-${owner}@example.com`,
    ]);
    await sql(
      `INSERT INTO device_sessions (id, user_id, epoch, created_at, last_active_at, idle_expires_at, absolute_expires_at, revoked_at)
       SELECT 'bulk-' || $1 || '-' || n, $1::uuid, 0, ${ago(60)}, ${ago(60)}, ${FUTURE}, ${FUTURE}, ${ago(45)} FROM generate_series(1, $2) AS n`,
      [owner, rows],
    );
    await sql(
      `INSERT INTO session_events (user_id, type, created_at) SELECT $1::uuid, 'signed_in', ${ago(120)} FROM generate_series(1, $2)`,
      [owner, rows],
    );
    const email = uniqueEmail("cleanup");
    await api.register(email, PASSWORD);
    const device = await api.device(email, PASSWORD);

    const runs = Promise.all([cleanup(["--batch-size", "20"]), cleanup(["--batch-size", "20"])]);
    const meanwhile: number[] = [];
    let done = false;
    void runs.finally(() => (done = true));
    while (!done) {
      meanwhile.push((await api.me(device.access_token)).status);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [a, b] = await runs;
    console.log(
      `cleanup: two concurrent runs deleted ${a.sessions}+${b.sessions} sessions and ${a.events}+${b.events} events`,
    );

    expect(a.sessions + b.sessions).toBe(rows);
    expect(a.events! + b.events!).toBe(rows);
    expect(await sessionIdsLike(`bulk-${owner}`)).toEqual([]);
    expect(await eventCount([owner])).toBe(0);
    expect(meanwhile.length).toBeGreaterThan(0);
    expect(meanwhile.every((status) => status === 200)).toBe(true);
  });

  it("follows the retention: SESSION_RETENTION_DAYS keeps younger ended sessions, EVENT_RETENTION_DAYS=0 keeps every event", async () => {
    const f = await seed();
    const report = await cleanup([], { SESSION_RETENTION_DAYS: "35", EVENT_RETENTION_DAYS: "0" });
    expect(report).toMatchObject({ sessions: 0, events: null });
    expect(await sessionIdsLike(f.tag)).toEqual([...f.gone, ...f.kept].sort());
    expect(await eventCount(f.userIds)).toBe(4);
    await cleanup();
  });

  it("deletes expired sign-in challenges and TOTP set-ups left unconfirmed for a day, nothing else of theirs", async () => {
    const tag = randomUUID().slice(0, 8);
    const [pendingOld, pendingNew, enabledOld] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of [pendingOld, pendingNew, enabledOld]) {
      await sql(
        `INSERT INTO users (id, email, password_hash, session_epoch, updated_at) VALUES ('${id}', '${id}@example.com', 'x', 0, now())`,
      );
    }
    await sql(
      `INSERT INTO auth_challenges (token_hash, purpose, user_id, epoch, created_at, expires_at) VALUES ` +
        `('${tag}-expired', 'mfa', '${pendingOld}', 0, now() - interval '10 minutes', now() - interval '5 minutes'), ` +
        `('${tag}-live', 'mfa', '${pendingOld}', 0, now(), now() + interval '5 minutes')`,
    );
    await sql(
      `INSERT INTO totp_credentials (user_id, secret_sealed, created_at, enabled_at) VALUES ` +
        `('${pendingOld}', 's', ${ago(2)}, NULL), ('${pendingNew}', 's', now(), NULL), ('${enabledOld}', 's', ${ago(10)}, ${ago(10)})`,
    );
    expect(await cleanup(["--dry-run"])).toMatchObject({ challenges: 2 });
    expect(await cleanup()).toMatchObject({ challenges: 2 });
    const challenges = await sql<{ token_hash: string }>(
      "SELECT token_hash FROM auth_challenges WHERE token_hash LIKE $1",
      [`${tag}-%`],
    );
    expect(challenges.map((r) => r.token_hash)).toEqual([`${tag}-live`]);
    const totp = await sql<{ user_id: string }>(
      "SELECT user_id::text FROM totp_credentials WHERE user_id = ANY($1::uuid[]) ORDER BY user_id",
      [[pendingOld, pendingNew, enabledOld]],
    );
    expect(totp.map((r) => r.user_id)).toEqual([pendingNew, enabledOld].sort());
  });

  it("Redis needs none: every key the app writes expires by itself, except the one 'ready' marker", async () => {
    const email = uniqueEmail("cleanup");
    await api.register(email, PASSWORD);
    const [one, two] = [await api.device(email, PASSWORD), await api.device(email, PASSWORD)];
    expect((await api.logout(one.access_token)).status).toBe(204); // s:<sid>
    expect((await api.logout(two.access_token, "global")).status).toBe(204); // e:<userId>
    const prefix = ops.env.REDIS_KEY_PREFIX!;
    const redis = new Redis(ops.env.REDIS_URL!);
    try {
      const keys = await redis.keys(`${prefix}*`);
      expect(keys).toContain(`${prefix}s:${one.session_id}`);
      const withoutTtl: string[] = [];
      for (const key of keys) if ((await redis.ttl(key)) < 0) withoutTtl.push(key);
      expect(withoutTtl).toEqual([`${prefix}ready`]);
    } finally {
      redis.disconnect();
    }
  });
});

describe("npm run db:cleanup on the embedded database (no app holding it)", () => {
  it("deletes the same rows there", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "rjs-cleanup-pglite-"));
    const f = fixture();
    const openHere = () => openDatabase({ kind: "pglite", dataDir: dir });
    try {
      const db = await openHere();
      for (const statement of f.statements) await db.prisma.$executeRawUnsafe(statement);
      await db.close();

      const result = await runScript("scripts/db-cleanup.ts", ["--json"], {
        ...ops.env,
        DATABASE_URL: "",
        REDIS_URL: "",
        PGLITE_DATA_DIR: dir,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ sessions: f.gone.length, events: f.oldEvents });

      const after = await openHere();
      const left = await after.prisma.deviceSession.findMany({
        where: { id: { startsWith: f.tag } },
        select: { id: true },
        orderBy: { id: "asc" },
      });
      await after.close();
      expect(left.map((r) => r.id)).toEqual([...f.kept].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(`${dir}.lock`, { force: true });
    }
  });
});
