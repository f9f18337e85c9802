/**
 * The account repository's SQL on the real database (PostgreSQL, or PGlite by default): what the
 * engine's rules rest on and its fakes only mirror. One link used by two requests at once wins once;
 * links die with a password change or a change of address; a deletion leaves a tombstone that a
 * wiped revocation store re-learns.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/lib/databases";
import { sha256 } from "../../src/core/crypto";
import { DELETED_ACCOUNT_EPOCH, type AccountTokenPurpose } from "../../src/core/ports";
import { openDatabase, type Database } from "../../src/server/db/prisma";
import { PrismaAccountRepository } from "../../src/server/repositories/prisma-accounts";
import { PrismaSessionRepository } from "../../src/server/repositories/prisma-sessions";
import { PrismaUserRepository } from "../../src/server/repositories/prisma-users";

let testDb: TestDatabase;
let db: Database;
let users: PrismaUserRepository;
let sessions: PrismaSessionRepository;
let accounts: PrismaAccountRepository;
const now = () => new Date();

beforeAll(async () => {
  testDb = await createTestDatabase("accounts");
  db = await openDatabase(
    testDb.kind === "postgresql"
      ? { kind: "postgresql", url: testDb.url! }
      : { kind: "pglite", dataDir: testDb.env.PGLITE_DATA_DIR! },
  );
  users = new PrismaUserRepository(db.prisma);
  sessions = new PrismaSessionRepository(db.prisma);
  accounts = new PrismaAccountRepository(db.prisma);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function newUser() {
  const email = `repo-${randomUUID()}@example.test`;
  const user = (await users.create({ id: randomUUID(), email, name: null, passwordHash: "old-hash" }))!;
  return user;
}

async function newSession(userId: string, epoch = 0) {
  const at = now();
  const id = randomUUID();
  await sessions.create({
    id,
    userId,
    epoch,
    deviceName: null,
    userAgent: null,
    browser: null,
    os: null,
    deviceType: null,
    ip: null,
    createdAt: at,
    lastActiveAt: at,
    idleExpiresAt: new Date(at.getTime() + 3_600_000),
    absoluteExpiresAt: new Date(at.getTime() + 7_200_000),
    refreshHash: sha256(randomUUID()),
    authTime: at,
    signInMethod: "password",
    amr: ["pwd"],
  });
  return id;
}

async function link(
  user: { id: string; email: string },
  purpose: AccountTokenPurpose,
  newEmail: string | null = null,
): Promise<string> {
  const token = randomUUID();
  await accounts.issueToken({
    userId: user.id,
    purpose,
    tokenHash: sha256(token),
    email: user.email,
    newEmail,
    createdAt: now(),
    expiresAt: new Date(Date.now() + 600_000),
  });
  return sha256(token);
}

describe("one-time links on the real database", () => {
  it("one reset link used by two requests at once sets the password once and raises the epoch once", async () => {
    const user = await newUser();
    const change = await link(user, "email_change", `thief-${randomUUID()}@example.test`);
    const tokenHash = await link(user, "password_reset");
    const results = await Promise.all(
      ["hash-a", "hash-b"].map((newPasswordHash) => accounts.resetPassword({ tokenHash, newPasswordHash, now: now() })),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const stored = (await users.findById(user.id))!;
    expect(stored.sessionEpoch).toBe(1);
    expect(stored.passwordHash).toBe(winners[0]!.user.passwordHash);
    // An email change asked for before the reset (by whoever had the old password) is void.
    expect(await accounts.confirmEmail({ tokenHash: change, now: now() })).toBeNull();
  });

  it("one verification link used twice at once verifies once; the second is refused", async () => {
    const user = await newUser();
    const tokenHash = await link(user, "email_verification");
    const results = await Promise.all([1, 2].map(() => accounts.confirmEmail({ tokenHash, now: now() })));
    expect(results.filter((r) => r?.kind === "verified")).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect((await users.findById(user.id))!.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it("a newer link of the same purpose replaces the older one; another purpose is left alone", async () => {
    const user = await newUser();
    const older = await link(user, "password_reset");
    const verification = await link(user, "email_verification");
    const newer = await link(user, "password_reset");
    expect(await accounts.resetPassword({ tokenHash: older, newPasswordHash: "x", now: now() })).toBeNull();
    expect(await accounts.resetPassword({ tokenHash: newer, newPasswordHash: "x", now: now() })).not.toBeNull();
    expect(await accounts.confirmEmail({ tokenHash: verification, now: now() })).toMatchObject({ kind: "verified" });
  });

  it("a password change through the sessions repository kills a pending reset link and email change", async () => {
    const user = await newUser();
    const sid = await newSession(user.id);
    const change = await link(user, "email_change", `thief-${randomUUID()}@example.test`);
    const tokenHash = await link(user, "password_reset");
    const changed = await sessions.changePassword({
      userId: user.id,
      expectedPasswordHash: "old-hash",
      expectedEpoch: 0,
      newPasswordHash: "new-hash",
      currentSessionId: sid,
      newRefreshHash: sha256(randomUUID()),
      now: now(),
      idleExpiresAt: new Date(Date.now() + 3_600_000),
    });
    expect(changed).toEqual({ epoch: 1 });
    expect(await accounts.resetPassword({ tokenHash, newPasswordHash: "attacker", now: now() })).toBeNull();
    expect(await accounts.confirmEmail({ tokenHash: change, now: now() })).toBeNull();
    expect((await users.findById(user.id))!).toMatchObject({ passwordHash: "new-hash", email: user.email });
  });

  it("an email change: the address moves, links to the old address die, a taken address changes nothing", async () => {
    const user = await newUser();
    const reset = await link(user, "password_reset");
    const target = `moved-${randomUUID()}@example.test`;
    const change = await link(user, "email_change", target);
    const result = await accounts.confirmEmail({ tokenHash: change, now: now() });
    expect(result).toMatchObject({ kind: "changed", previousEmail: user.email, user: { email: target } });
    expect(await accounts.resetPassword({ tokenHash: reset, newPasswordHash: "x", now: now() })).toBeNull();

    const other = await newUser();
    const taken = await newUser();
    const blocked = await link(other, "email_change", taken.email);
    expect(await accounts.confirmEmail({ tokenHash: blocked, now: now() })).toMatchObject({ kind: "email_taken" });
    expect((await users.findById(other.id))!.email).toBe(other.email);
  });

  it("an expired link is refused", async () => {
    const user = await newUser();
    const tokenHash = await link(user, "email_verification");
    expect(await accounts.confirmEmail({ tokenHash, now: new Date(Date.now() + 601_000) })).toBeNull();
  });
});

describe("account deletion on the real database", () => {
  it("answers the live sessions, removes every row, and leaves a tombstone the revocation store re-learns", async () => {
    const user = await newUser();
    const live = [await newSession(user.id), await newSession(user.id)];
    await link(user, "password_reset");
    const before = new Date(Date.now() - 1000);

    expect((await accounts.deleteUser(user.id, now()))!.sort()).toEqual(live.sort());
    expect(await users.findById(user.id)).toBeNull();
    expect(await sessions.findById(live[0]!)).toBeNull();
    expect(await db.prisma.accountToken.count({ where: { userId: user.id } })).toBe(0);

    const snapshot = await sessions.recentRevocations(before);
    expect(snapshot.epochs).toContainEqual(expect.objectContaining({ userId: user.id, epoch: DELETED_ACCOUNT_EPOCH }));
    expect(await accounts.deleteUser(user.id, now())).toBeNull();
    // The same email registers again as a new account.
    expect(await users.create({ id: randomUUID(), email: user.email, name: null, passwordHash: "h" })).not.toBeNull();
  });

  it("tombstones older than a day are removed by the next deletion", async () => {
    const old = await newUser();
    await accounts.deleteUser(old.id, new Date(Date.now() - 25 * 3600 * 1000));
    const user = await newUser();
    await accounts.deleteUser(user.id, now());
    const ids = (await db.prisma.deletedAccount.findMany({ select: { userId: true } })).map((r) => r.userId);
    expect(ids).toContain(user.id);
    expect(ids).not.toContain(old.id);
  });
});
