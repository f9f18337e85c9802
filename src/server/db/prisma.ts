// Opens the database behind a PrismaClient. The same schema (provider postgresql) runs on real
// PostgreSQL in production and on PGlite (PostgreSQL compiled to wasm, in-process) by default,
// so development and tests need no database server.
//
// No 'server-only' and no process.env here: the composition root above this module decides the
// config, and scripts/tests import this directly.
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../generated/prisma/client";
import { applyMigrations } from "./migrator";
import { lockDataDir } from "./pglite-lock";

export type DatabaseConfig =
  | { kind: "postgresql"; url: string }
  /** dataDir: a folder (created if missing), or the literal `memory://` for a throwaway database. */
  | { kind: "pglite"; dataDir: string };

export type Database = {
  prisma: PrismaClient;
  kind: "postgresql" | "pglite";
  close(): Promise<void>;
};

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "postgresql") {
    // No automatic migration: production applies them explicitly (npm run db:migrate) before
    // starting, so app instances never race each other over DDL. The adapter owns its pg pool
    // and ends it on $disconnect.
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.url }) });
    return { prisma, kind: "postgresql", close: () => prisma.$disconnect() };
  }

  // PGlite allows ONE instance per data folder and process: the caller must open it once and share it.
  const inMemory = config.dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(config.dataDir, { recursive: true });
  const unlock = inMemory ? async () => undefined : await lockDataDir(config.dataDir);
  const db = new PGlite(config.dataDir);
  try {
    await db.waitReady;
    const factory = new PrismaPGlite(db);
    // An embedded database has no deploy step: bring it up to date on open (idempotent, ~0.1 s when current).
    await applyMigrations(factory);
    const prisma = new PrismaClient({ adapter: factory });
    return {
      prisma,
      kind: "pglite",
      close: async () => {
        await prisma.$disconnect();
        await db.close();
        await unlock();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    await unlock();
    throw error;
  }
}
