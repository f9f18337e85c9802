// Target 5: O(1) log-out-everywhere. Users with 10,000 sessions (rows inserted directly, not
// through sign-in) are signed out everywhere and change their password through the engine, in
// process; the same is timed for a user with one session (it must cost the same). The device list
// is timed for a user with 1,000 live sessions, and its plan checked for the index.
import { randomUUID } from "node:crypto";
import type { AccessClaims } from "../../src/core/access-tokens";
import { randomToken } from "../../src/core/crypto";
import { newSessionId } from "../../src/core/ids";
import type { OwnedServices } from "../../src/server/build-services";
import { argon2Hasher } from "../../src/server/password-hasher";
import { count, median, ms, percentile, timed, verdict, type BenchContext, type Row } from "./common";

type Prisma = OwnedServices["database"]["prisma"];

const PASSWORDS = ["bulk-password-2026-a", "bulk-password-2026-b"];

interface SeededUser {
  id: string;
  email: string;
  sessionIds: string[];
}

async function seedUser(prisma: Prisma, label: string, sessions: number, passwordHash: string): Promise<SeededUser> {
  const id = randomUUID();
  const email = `${label}.${randomToken(6).toLowerCase()}@example.com`;
  await prisma.user.create({ data: { id, email, name: "Bulk User", passwordHash } });
  // One statement, any number of rows: ids shaped like real ones (22 characters of base64url),
  // activity one minute apart, live for days, each with its own refresh-token hash.
  const first = newSessionId();
  await prisma.$executeRawUnsafe(
    `INSERT INTO device_sessions (id, user_id, epoch, user_agent, browser, os, device_type, ip, created_at, last_active_at, idle_expires_at, absolute_expires_at, refresh_hash)
     SELECT CASE WHEN g = 0 THEN $3 ELSE left(md5(random()::text || g::text), 22) END, $1::uuid, 0, $4, 'Chrome', 'macOS', 'desktop',
            '10.0.' || (g / 256) % 256 || '.' || g % 256,
            now() - g * interval '1 minute', now() - g * interval '1 minute',
            now() + interval '14 days', now() + interval '90 days',
            md5(random()::text || g::text || 'r') || md5(random()::text || g::text || 'h')
     FROM generate_series(0, $2::int - 1) AS g`,
    id,
    sessions,
    first,
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  );
  const rows = await prisma.deviceSession.count({ where: { userId: id } });
  if (rows !== sessions) throw new Error(`inserted ${rows} session rows, expected ${sessions}`);
  return { id, email, sessionIds: [first] };
}

function claimsFor(user: SeededUser, epoch: number): AccessClaims {
  const iat = Math.floor(Date.now() / 1000);
  return {
    sub: user.id,
    sid: user.sessionIds[0]!,
    sv: epoch,
    email: user.email,
    name: "Bulk User",
    jti: randomToken(12),
    email_verified: true,
    amr: ["pwd"],
    two_factor: false,
    auth_time: 0,
    iat,
    exp: iat + 300,
  };
}

/** Counts revocation-store writes (the engine calls the very same object). */
function countStoreWrites(services: OwnedServices): { take(): number } {
  const store = services.store as unknown as Record<
    "raiseEpoch" | "revokeSessions",
    (...args: unknown[]) => Promise<void>
  >;
  let writes = 0;
  for (const name of ["raiseEpoch", "revokeSessions"] as const) {
    const original = store[name].bind(services.store);
    store[name] = (...args: unknown[]) => {
      writes++;
      return original(...args);
    };
  }
  return {
    take() {
      const n = writes;
      writes = 0;
      return n;
    },
  };
}

async function epochOf(prisma: Prisma, userId: string): Promise<number> {
  return (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionEpoch: true } })).sessionEpoch;
}

export async function bulkRevocation(ctx: BenchContext, services: OwnedServices): Promise<Row[]> {
  const prisma = services.database.prisma;
  const { engine } = services;
  const runs = ctx.tuning.mode === "full" ? 20 : 5;
  const bigN = 10_000;
  const listN = 1_000;
  const hash = await argon2Hasher.hash(PASSWORDS[0]!);

  const seeding = await timed(async () => ({
    big: await seedUser(prisma, "bulkbig", bigN, hash),
    one: await seedUser(prisma, "bulkone", 1, hash),
    list: await seedUser(prisma, "bulklist", listN, hash),
  }));
  const { big, one, list } = seeding.value;
  ctx.log(`  5  inserted ${count(bigN + 1 + listN)} session rows in ${seeding.ms.toFixed(0)} ms`);
  if (services.database.kind === "postgresql") await prisma.$executeRawUnsafe("ANALYZE device_sessions");
  const writes = countStoreWrites(services);

  /**
   * `op` on the big user and on the one-session user, alternating (load noise hits both alike);
   * only `op` is timed, with claims carrying the user's current epoch.
   */
  const measure = async (op: (claims: AccessClaims, r: number) => Promise<unknown>) => {
    const result = { big: [] as number[], one: [] as number[], storeWrites: [] as number[] };
    for (let r = 0; r < runs; r++) {
      for (const [key, user] of [
        ["big", big],
        ["one", one],
      ] as const) {
        const claims = claimsFor(user, await epochOf(prisma, user.id));
        writes.take();
        result[key].push((await timed(() => op(claims, r))).ms);
        result.storeWrites.push(writes.take());
      }
    }
    return result;
  };

  // Password change first: it keeps this device signed in (moved to the new epoch), so it repeats.
  const pw = await measure((claims, r) =>
    engine.changePassword(
      claims,
      { currentPassword: PASSWORDS[r % 2]!, newPassword: PASSWORDS[(r + 1) % 2]! },
      { ip: null, userAgent: null },
    ),
  );

  // The share of argon2id (verify the current password + hash the new one) in a password change.
  const argon: number[] = [];
  for (let r = 0; r < Math.min(runs, 10); r++) {
    argon.push(
      (
        await timed(async () => {
          await argon2Hasher.verify(hash, PASSWORDS[0]!);
          await argon2Hasher.hash(PASSWORDS[1]!);
        })
      ).ms,
    );
  }

  const out = await measure((claims) => engine.logout(claims, "global"));
  // O(1) in rows, not only in time: no session row of the user was rewritten.
  const rowsWritten = await prisma.deviceSession.count({ where: { userId: big.id, revokedAt: { not: null } } });

  // The device list of a user with 1,000 live sessions.
  const listClaims = claimsFor(list, 0);
  const first = await engine.listSessions(listClaims);
  if (first.length !== listN) throw new Error(`the device list has ${first.length} sessions, expected ${listN}`);
  const listTimes: number[] = [];
  for (let r = 0; r < runs; r++) listTimes.push((await timed(() => engine.listSessions(listClaims))).ms);
  const plan = await explainList(prisma, list.id);

  const singleWrite = (xs: number[]) => xs.every((n) => n === 1);
  const row = (id: string, target: string, big: number[], small: number[], storeWrites: number[], extra = "") => ({
    id,
    target,
    figure: `p50 ${ms(median(big))} (p90 ${ms(percentile(big, 0.9))}) with ${count(bigN)} sessions vs ${ms(median(small))} with 1; ${storeWrites.every((n) => n === 1) ? "1 store write" : `store writes ${storeWrites.join(",")}`} per op${extra}; ${runs} runs`,
    threshold: "< 50 ms p50, 1 store write",
    verdict: verdict(median(big) < 50 && singleWrite(storeWrites)),
  });
  return [
    row(
      "5a",
      `Log out everywhere, user with ${count(bigN)} sessions`,
      out.big,
      out.one,
      out.storeWrites,
      `; ${rowsWritten} session rows rewritten`,
    ),
    row(
      "5b",
      `Password change, user with ${count(bigN)} sessions`,
      pw.big,
      pw.one,
      pw.storeWrites,
      ` (argon2id verify+hash ≈ ${ms(median(argon))} of it)`,
    ),
    {
      id: "5c",
      target: `Device list, user with ${count(listN)} live sessions`,
      figure: `p50 ${ms(median(listTimes))} (p90 ${ms(percentile(listTimes, 0.9))}), ${count(listN)} rows; plan: ${plan}; ${runs} runs`,
      threshold: "< 20 ms p50, indexed",
      verdict: verdict(median(listTimes) < 20 && /Index (Only )?Scan/.test(plan) && !/Seq Scan/.test(plan)),
    },
  ];
}

/** The scan nodes of the device-list query's plan (the query Prisma sends for listActive). */
async function explainList(prisma: Prisma, userId: string): Promise<string> {
  const rows = await prisma.$queryRawUnsafe<Record<string, string>[]>(
    `EXPLAIN SELECT * FROM device_sessions WHERE user_id = $1::uuid AND epoch >= 0 AND revoked_at IS NULL AND idle_expires_at > now() AND absolute_expires_at > now() ORDER BY last_active_at DESC, created_at DESC`,
    userId,
  );
  const scans = rows
    .map((r) => String(Object.values(r)[0] ?? ""))
    .filter((line) => /Scan/.test(line))
    .map((line) =>
      line
        .trim()
        .replace(/^->\s*/, "")
        .replace(/\s+\(cost=.*$/, ""),
    );
  return scans.join(" ← ") || "?";
}
