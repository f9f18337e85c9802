/**
 * The SQL the second factors and passkeys rest on, on the real database (PostgreSQL, or PGlite by
 * default): a challenge is used once however many requests race for it, and dies after its wrong
 * answers or its lifetime; an account never loses its last way in, even to two removals at once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/lib/databases";
import { sha256 } from "../../src/core/crypto";
import { openDatabase, type Database } from "../../src/server/db/prisma";
import { PrismaChallengeRepository } from "../../src/server/repositories/prisma-challenges";
import { createSignInMethodRepository } from "../../src/server/repositories/prisma-sign-in-methods";
import type { SignInMethodRepository } from "../../src/core/ports";

let testDb: TestDatabase;
let db: Database;
let challenges: PrismaChallengeRepository;
let methods: SignInMethodRepository;

beforeAll(async () => {
  testDb = await createTestDatabase("sign-in-repos");
  db = await openDatabase(
    testDb.kind === "postgresql"
      ? { kind: "postgresql", url: testDb.url! }
      : { kind: "pglite", dataDir: testDb.env.PGLITE_DATA_DIR! },
  );
  challenges = new PrismaChallengeRepository(db.prisma);
  methods = createSignInMethodRepository(db.prisma);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function newUser(password: boolean) {
  const id = randomUUID();
  await db.prisma.user.create({
    data: { id, email: `m-${id}@example.test`, passwordHash: password ? "hash" : null },
  });
  return id;
}

async function addPasskey(userId: string) {
  const id = randomUUID();
  await db.prisma.passkey.create({
    data: { id, userId, name: "Key", publicKey: Buffer.from([1, 2, 3]), createdAt: new Date() },
  });
  return id;
}

async function newChallenge(userId: string, lifetimeMs = 60_000) {
  const tokenHash = sha256(randomUUID());
  const now = new Date();
  await challenges.create({
    tokenHash,
    purpose: "mfa",
    userId,
    epoch: 0,
    deviceName: null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + lifetimeMs),
  });
  return tokenHash;
}

describe("auth challenges", () => {
  it("are used once: of ten requests at once, exactly one gets the challenge", async () => {
    const userId = await newUser(true);
    const hash = await newChallenge(userId);
    const results = await Promise.all(Array.from({ length: 10 }, () => challenges.consume(hash, "mfa", new Date())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(results.find(Boolean)).toMatchObject({ tokenHash: hash, purpose: "mfa", userId, epoch: 0 });
    expect(await challenges.find(hash, "mfa", new Date())).toBeNull();
  });

  it("answer only for their purpose and while they live", async () => {
    const userId = await newUser(true);
    const hash = await newChallenge(userId, 1_000);
    expect(await challenges.find(hash, "passkey_sign_in", new Date())).toBeNull();
    expect(await challenges.consume(hash, "passkey_registration", new Date())).toBeNull();
    expect(await challenges.find(hash, "mfa", new Date())).not.toBeNull();
    const later = new Date(Date.now() + 2_000);
    expect(await challenges.find(hash, "mfa", later)).toBeNull();
    expect(await challenges.consume(hash, "mfa", later)).toBeNull();
  });

  it("die when their wrong answers reach the limit", async () => {
    const userId = await newUser(true);
    const hash = await newChallenge(userId);
    await challenges.countFailure(hash, 3);
    await challenges.countFailure(hash, 3);
    expect(await challenges.find(hash, "mfa", new Date())).toMatchObject({ attempts: 2 });
    await challenges.countFailure(hash, 3);
    expect(await challenges.find(hash, "mfa", new Date())).toBeNull();
  });

  it("go with their account", async () => {
    const userId = await newUser(true);
    const hash = await newChallenge(userId);
    await db.prisma.user.delete({ where: { id: userId } });
    expect(await challenges.find(hash, "mfa", new Date())).toBeNull();
  });
});

describe("the last way in", () => {
  it("is kept: a password-less account cannot remove its only passkey", async () => {
    const userId = await newUser(false);
    const passkey = await addPasskey(userId);
    expect(await methods.removeWayIn(userId, { kind: "passkey", id: passkey })).toBe("last_way_in");
    expect(await db.prisma.passkey.count({ where: { userId } })).toBe(1);
  });

  it("is kept when two removals race: one of two passkeys goes, the other stays", async () => {
    const userId = await newUser(false);
    const first = await addPasskey(userId);
    const second = await addPasskey(userId);
    const results = await Promise.all([
      methods.removeWayIn(userId, { kind: "passkey", id: first }),
      methods.removeWayIn(userId, { kind: "passkey", id: second }),
    ]);
    expect(results.sort()).toEqual(["last_way_in", "removed"]);
    expect(await db.prisma.passkey.count({ where: { userId } })).toBe(1);
  });

  it("lets an account with a password remove every passkey, and finds no one else's", async () => {
    const userId = await newUser(true);
    const passkey = await addPasskey(userId);
    const stranger = await newUser(true);
    expect(await methods.removeWayIn(stranger, { kind: "passkey", id: passkey })).toBe("not_found");
    expect(await methods.removeWayIn(userId, { kind: "passkey", id: passkey })).toBe("removed");
    expect(await methods.removeWayIn(userId, { kind: "passkey", id: passkey })).toBe("not_found");
    expect(await methods.removeWayIn(userId, { kind: "identity", provider: "oidc" })).toBe("not_found");
  });

  it("counts linked identities as ways in", async () => {
    const userId = await newUser(false);
    await db.prisma.externalIdentity.create({
      data: { provider: "oidc", subject: randomUUID(), userId, createdAt: new Date() },
    });
    const passkey = await addPasskey(userId);
    expect(await methods.removeWayIn(userId, { kind: "passkey", id: passkey })).toBe("removed");
    expect(await methods.removeWayIn(userId, { kind: "identity", provider: "oidc" })).toBe("last_way_in");
  });
});
