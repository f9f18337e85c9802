import { usingPostgres } from "../../scripts/lib/databases";
import { testSecrets } from "../../scripts/lib/keys";
import { PrivatePostgres } from "./private-postgres";

import { PrivateRedis, sharedRedisUrl, uniquePrefix } from "../../scripts/lib/redis";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

export interface OpsApp {
  testApp: TestApp;
  /** What a command-line process needs to reach the app's database, revocation store and keys. */
  env: Record<string, string>;
  /** The app's PostgreSQL database. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * A test app whose storage another process (`npm run admin`, `npm run db:cleanup`) can use while
 * the app runs. The embedded PGlite database belongs to one process, so without DATABASE_URL the
 * app gets a private PostgreSQL server; with `redis`, a private redis-server when REDIS_URL is
 * unset (the in-process store cannot be reached from outside either). Everything is removed by `stop`.
 */
export async function startOpsApp(
  label: string,
  options: { redis: boolean; env?: Record<string, string> },
): Promise<OpsApp> {
  const overrides: Record<string, string> = { ...(await testSecrets()), REDIS_KEY_PREFIX: uniquePrefix(label) };
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    if (!usingPostgres()) {
      const postgres = await PrivatePostgres.start({ database: `rjs_${label}` });
      cleanups.push(() => postgres.stop());
      overrides.DATABASE_URL = postgres.url;
    }
    if (options.redis && !sharedRedisUrl()) {
      const redis = await PrivateRedis.start();
      cleanups.push(() => redis.stop());
      overrides.REDIS_URL = redis.url;
    }
    const testApp = await startTestApp(label, { ...overrides, ...options.env });
    const databaseUrl = overrides.DATABASE_URL ?? testApp.database.url!;
    return {
      testApp,
      databaseUrl,
      env: { ...overrides, DATABASE_URL: databaseUrl, REDIS_URL: testApp.redisUrl ?? "" },
      async stop() {
        await testApp.stop();
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}
