// Guards the migration tooling, which rests on an internal Prisma API (@prisma/schema-engine-wasm):
// if a Prisma upgrade breaks it, or someone edits schema.prisma without adding a migration, this fails.
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, diffSchemaAgainstMigrations, migrationStatus } from "../../src/server/db/migrator";
import { openDatabase, type Database } from "../../src/server/db/prisma";

const migrationNames = readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

async function createUserWithSession(db: Database) {
  const now = new Date();
  const user = await db.prisma.user.create({
    data: { id: randomUUID(), email: `m-${randomUUID()}@example.test`, passwordHash: "x" },
  });
  await db.prisma.deviceSession.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      epoch: user.sessionEpoch,
      lastActiveAt: now,
      authTime: now,
      idleExpiresAt: new Date(now.getTime() + 60_000),
      absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
    },
  });
  return db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { sessions: true } });
}

describe("migrations", () => {
  it("schema.prisma and prisma/migrations do not drift (else: npm run db:migrate -- --create <name>)", async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(await diffSchemaAgainstMigrations()).toBe("");
  });

  it("an in-memory PGlite opened by openDatabase is migrated and usable", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    try {
      expect(db.kind).toBe("pglite");
      const user = await createUserWithSession(db);
      expect(user.sessionEpoch).toBe(0);
      expect(user.sessions).toHaveLength(1);
      expect(user.sessions[0]!.refreshGeneration).toBe(0);
    } finally {
      await db.close();
    }
  });
});

// Only when DATABASE_URL names a PostgreSQL server: a throwaway database of our own on it,
// dropped afterwards. Existing databases and tables are never touched.
const serverUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL! : undefined;

describe.skipIf(!serverUrl)("migrations on PostgreSQL", () => {
  const name = `rjs_mig_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl ?? "postgresql://unused");
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(() => admin(`CREATE DATABASE "${name}"`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it("applies every migration once, then nothing (idempotent)", async () => {
    const factory = () => new PrismaPg({ connectionString: url.toString() });
    expect(await applyMigrations(factory())).toEqual({ applied: migrationNames });
    expect(await applyMigrations(factory())).toEqual({ applied: [] });
    const status = await migrationStatus(factory());
    expect(status).toMatchObject({ history: null, failedMigrationNames: [], editedMigrationNames: [] });
  });

  it('openDatabase({ kind: "postgresql" }) reads and writes the migrated tables', async () => {
    const db = await openDatabase({ kind: "postgresql", url: url.toString() });
    try {
      expect(db.kind).toBe("postgresql");
      expect((await createUserWithSession(db)).sessions).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
