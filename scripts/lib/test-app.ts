import { AppServer } from "./app-server";
import { freePort } from "./ports";
import { createTestDatabase, type TestDatabase } from "./databases";
import { testSecrets } from "./keys";
import { deleteKeys, sharedRedisUrl, uniquePrefix } from "./redis";

export interface TestApp {
  app: AppServer;
  database: TestDatabase;
  redisUrl: string | undefined;
  /** Everything the app was started with: to start it again on the same data with a change. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * One app instance on its own database, on the shared Redis under its own key prefix when
 * REDIS_URL is set (the in-process store otherwise). `env` overrides anything (e.g. a private Redis).
 */
export async function startTestApp(label: string, env: Record<string, string> = {}, port?: number): Promise<TestApp> {
  const database = await createTestDatabase(label);
  const appPort = port ?? (await freePort());
  const redisUrl = env.REDIS_URL ?? sharedRedisUrl();
  const prefix = env.REDIS_KEY_PREFIX ?? uniquePrefix(label);
  const appEnv: Record<string, string> = {
    ...(await testSecrets()),
    ...database.env,
    REDIS_URL: redisUrl ?? "",
    REDIS_KEY_PREFIX: prefix,
    APP_URL: `http://127.0.0.1:${appPort}`,
    JWT_ISSUER: "http://revocable.test",
    REFRESH_GRACE_SECONDS: "3",
    // Tests sign in hundreds of times from 127.0.0.1; rate-limit tests set their own scale.
    RATE_LIMIT_SCALE: "1000",
    ...env,
  };
  const app = await AppServer.start(appEnv, appPort).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    app,
    database,
    redisUrl,
    env: appEnv,
    async stop() {
      await app.stop();
      await database.drop();
      if (redisUrl) await deleteKeys(redisUrl, prefix).catch(() => undefined);
    },
  };
}
