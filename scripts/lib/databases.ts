import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { applyMigrations } from "../../src/server/db/migrator";

/**
 * A database of its own for one test app: a throwaway database on the PostgreSQL server named by
 * DATABASE_URL (never the database itself), or a temporary PGlite folder when it is unset.
 */
export interface TestDatabase {
  kind: "postgresql" | "pglite";
  /** Environment variables that point an app at it. */
  env: Record<string, string>;
  url?: string;
  drop(): Promise<void>;
}

export function usingPostgres(): boolean {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
}

export async function createTestDatabase(label = "it"): Promise<TestDatabase> {
  if (!usingPostgres()) {
    const dir = await mkdtemp(path.join(tmpdir(), `rjs-${label}-`));
    return {
      kind: "pglite",
      env: { PGLITE_DATA_DIR: dir, DATABASE_URL: "" },
      drop: async () => {
        await rm(dir, { recursive: true, force: true });
        await rm(`${dir}.lock`, { force: true }); // the app's PGlite lock (src/server/db/pglite-lock.ts)
      },
    };
  }
  const admin = new URL(process.env.DATABASE_URL!);
  const name = `rjs_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(admin.toString(), (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await applyMigrations(new PrismaPg({ connectionString: url.toString() }));
  return {
    kind: "postgresql",
    url: url.toString(),
    env: { DATABASE_URL: url.toString() },
    drop: () =>
      withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
