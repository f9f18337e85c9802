import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { applyMigrations } from "../../src/server/db/migrator";
import { openDatabase } from "../../src/server/db/prisma";

/**
 * A database of its own for one test app: a throwaway database on the PostgreSQL server named by
 * DATABASE_URL (never the database itself), or a temporary PGlite folder when it is unset.
 *
 * Migrating a database costs seconds (a fresh PGlite folder: 5-8 s), so a run migrates ONE template
 * (`prepareTemplateDatabase`, called by the runners' global set-up) and every test database is a copy
 * of it: `CREATE DATABASE ... TEMPLATE` on PostgreSQL, a folder copy for PGlite. Without a template
 * (a support module used on its own), each database is migrated as before.
 */
export interface TestDatabase {
  kind: "postgresql" | "pglite";
  /** Environment variables that point an app at it. */
  env: Record<string, string>;
  url?: string;
  drop(): Promise<void>;
}

/** Where the global set-up leaves the template's name (PostgreSQL) or folder (PGlite) for the workers. */
const TEMPLATE_VARIABLE = "RJS_TEST_TEMPLATE_DATABASE";

export function usingPostgres(): boolean {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
}

export async function createTestDatabase(label = "it"): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_VARIABLE] || undefined;
  if (!usingPostgres()) {
    const dir = await mkdtemp(path.join(tmpdir(), `rjs-${label}-`));
    // The app opens (and, without a template, migrates) the folder itself when it boots.
    if (template) await cp(template, dir, { recursive: true });
    return {
      kind: "pglite",
      env: { PGLITE_DATA_DIR: dir, DATABASE_URL: "" },
      drop: async () => {
        await rm(dir, { recursive: true, force: true });
        await rm(`${dir}.lock`, { force: true }); // the app's PGlite lock (src/server/db/pglite-lock.ts)
      },
    };
  }
  const admin = serverUrl();
  const name = uniqueName(label);
  if (template) {
    await createFromTemplate(admin, name, template);
  } else {
    await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
    await applyMigrations(new PrismaPg({ connectionString: databaseUrl(name) }));
  }
  const url = databaseUrl(name);
  return {
    kind: "postgresql",
    url,
    env: { DATABASE_URL: url },
    drop: () => dropDatabase(admin, name),
  };
}

/**
 * Migrates one template database for a whole run and tells `createTestDatabase` (in this process and
 * in the workers it starts, through the environment) to copy it. Returns the clean-up.
 */
export async function prepareTemplateDatabase(): Promise<() => Promise<void>> {
  if (usingPostgres()) {
    const admin = serverUrl();
    const name = uniqueName("template");
    await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
    await applyMigrations(new PrismaPg({ connectionString: databaseUrl(name) }));
    process.env[TEMPLATE_VARIABLE] = name;
    return async () => {
      delete process.env[TEMPLATE_VARIABLE];
      await dropDatabase(admin, name);
    };
  }
  const dir = await mkdtemp(path.join(tmpdir(), "rjs-template-"));
  const database = await openDatabase({ kind: "pglite", dataDir: dir }); // creates and migrates it
  await database.close();
  process.env[TEMPLATE_VARIABLE] = dir;
  return async () => {
    delete process.env[TEMPLATE_VARIABLE];
    await rm(dir, { recursive: true, force: true });
  };
}

function serverUrl(): string {
  return new URL(process.env.DATABASE_URL!).toString();
}

function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

function uniqueName(label: string): string {
  return `rjs_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * PostgreSQL copies a template only while nobody else is connected to it, and two copies made at the
 * same moment (parallel test files) can see each other as "other users": retry for a few seconds.
 */
async function createFromTemplate(admin: string, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      return;
    } catch (error) {
      if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

async function dropDatabase(admin: string, name: string): Promise<void> {
  await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
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
