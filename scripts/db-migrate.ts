// Database migrations without the Prisma CLI's native engine (unavailable offline: ADR 5,
// docs/decisions/0005-migrations-without-the-native-engine.md, and src/server/db/migrator.ts). Commands: see USAGE below (`npm run db:diff` = `-- --diff`).
//
// The database: DATABASE_URL (postgres:// or postgresql://), or when unset the embedded PGlite
// folder PGLITE_DATA_DIR (default $DATA_DIR/pglite, DATA_DIR defaulting to .data), like the app. --diff/--create/--check never touch it: they replay
// the migrations into a throwaway in-memory PGlite.
//
// Run with tsx (the generated Prisma client and src/ are TypeScript). tsx treats this file as
// CommonJS (package.json has no "type": "module"), hence no top-level await.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { LOCKFILE, applyMigrations, diffSchemaAgainstMigrations, migrationStatus } from "../src/server/db/migrator";
import { lockDataDir } from "../src/server/db/pglite-lock";

const root = process.cwd();
const migrationsDir = path.join(root, "prisma", "migrations");

/** Failures we expect (bad input, unreachable database): message only, no stack trace. */
class UsageError extends Error {}

type Target = { label: string; factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> };

async function openTarget(): Promise<Target> {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new UsageError("DATABASE_URL must start with postgres:// or postgresql:// (or be unset to use PGlite).");
    }
    // Our own pool, so we can end it: the engine does not dispose adapters on its way out.
    const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
    pool.on("error", () => undefined); // an idle client dropping must not crash the script
    const where = new URL(url);
    return {
      label: `PostgreSQL ${where.host}${where.pathname}`, // no credentials in the output
      factory: new PrismaPg(pool),
      close: () => pool.end(),
    };
  }
  // Same resolution as the app (src/server/build-services.ts): PGLITE_DATA_DIR, else DATA_DIR/pglite.
  const configured = process.env.PGLITE_DATA_DIR || path.join(process.env.DATA_DIR || ".data", "pglite");
  const inMemory = configured.startsWith("memory://"); // throwaway: only useful to try the migrations
  const dataDir = inMemory ? configured : path.resolve(root, configured);
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true }).catch((error: Error) => {
      throw new UsageError(`cannot create the PGlite folder ${dataDir}: ${error.message}`);
    });
  }
  const unlock = inMemory
    ? async () => undefined
    : await lockDataDir(dataDir).catch((error: Error) => {
        throw new UsageError(error.message);
      });
  const db = new PGlite(dataDir);
  await db.waitReady.catch(async (error: unknown) => {
    await unlock();
    throw new UsageError(`cannot open PGlite at ${dataDir} (${(error as Error).message}).`);
  });
  const relative = path.relative(root, dataDir);
  return {
    label: `PGlite ${inMemory || !relative || relative.startsWith("..") ? dataDir : relative}`,
    factory: new PrismaPGlite(db),
    close: () => db.close().finally(unlock),
  };
}

async function withTarget<T>(run: (target: Target) => Promise<T>): Promise<T> {
  const target = await openTarget();
  try {
    return await run(target);
  } catch (error) {
    // The engine's message already says what failed ("Can't reach database server at `host:port`"...).
    throw new UsageError(`${target.label}: ${(error as Error).message}`);
  } finally {
    await target.close().catch(() => undefined);
  }
}

/** Errors here are about the schema or the migration files (both ours to fix): no stack trace. */
async function diff(): Promise<string> {
  return diffSchemaAgainstMigrations().catch((error: Error) => {
    throw new UsageError(error.message);
  });
}

function utcStamp(date = new Date()): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14); // YYYYMMDDHHMMSS
}

const USAGE = `usage: npm run db:migrate [-- --status | --diff | --check | --create <name>]
  (no option)      apply prisma/migrations to DATABASE_URL, else to PGlite in PGLITE_DATA_DIR (default .data/pglite)
  --status         compare the database's migration history with prisma/migrations (exit 1 if behind)
  --diff           print the SQL that schema.prisma adds to prisma/migrations
  --check          exit 1 if schema.prisma and prisma/migrations differ (CI)
  --create <name>  write that SQL as prisma/migrations/<UTC timestamp>_<name>/migration.sql`;

const DRIFT_HINT = "Create a migration with: npm run db:migrate -- --create <name>";

async function main(args: string[]): Promise<void> {
  const [command, name, ...rest] = args;
  const started = Date.now();
  const secs = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

  switch (command) {
    case undefined: {
      const { applied, label } = await withTarget(async (t) => ({
        ...(await applyMigrations(t.factory)),
        label: t.label,
      }));
      console.log(
        applied.length
          ? `${label}: applied ${applied.length} migration(s) in ${secs()}: ${applied.join(", ")}`
          : `${label}: up to date (${secs()}).`,
      );
      return;
    }
    case "--status": {
      if (name) throw new UsageError(USAGE);
      const status = await withTarget((t) => migrationStatus(t.factory));
      console.log(JSON.stringify(status, null, 2));
      if (status.history || status.failedMigrationNames.length || status.editedMigrationNames.length) {
        process.exitCode = 1;
      }
      return;
    }
    case "--diff": {
      const sql = await diff();
      process.stdout.write(sql || "-- No difference: schema.prisma matches prisma/migrations.\n");
      return;
    }
    case "--check": {
      const sql = await diff();
      if (sql) {
        console.error(`schema.prisma and prisma/migrations differ. ${DRIFT_HINT}\nMissing SQL:\n\n${sql}`);
        process.exitCode = 1;
        return;
      }
      console.log(`schema.prisma matches prisma/migrations (${secs()}).`);
      return;
    }
    case "--create": {
      if (!name || rest.length) throw new UsageError(USAGE);
      const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9_]+/g, "_")
        .replace(/^_+|_+$/g, "");
      if (!slug) throw new UsageError(`invalid migration name: ${JSON.stringify(name)}`);
      const sql = await diff();
      if (!sql) {
        console.log("No changes: schema.prisma already matches prisma/migrations; nothing created.");
        return;
      }
      const dir = path.join(migrationsDir, `${utcStamp()}_${slug}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "migration.sql"), sql, { flag: "wx" });
      const lock = path.join(migrationsDir, "migration_lock.toml");
      if (!existsSync(lock)) await writeFile(lock, LOCKFILE);
      console.log(`Created ${path.relative(root, dir)}/migration.sql. Review it, then run npm run db:migrate.`);
      return;
    }
    case "--help":
    case "-h":
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown argument ${JSON.stringify(command)}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`db-migrate: ${error.message}`);
  } else {
    console.error("db-migrate: unexpected failure:", error);
  }
  process.exitCode = 1;
});
