// The engine in the benchmark's own process (targets 2 and 5): the app's composition root on the
// app's own database and Redis prefix (a PGlite `memory://` database when embedded: the app holds
// the lock on its folder), with the app's secrets so that the app's tokens verify here too.
import { buildServices, type OwnedServices } from "../../src/server/build-services";
import { parseEnv } from "../../src/server/env";
import { sleep, type BenchContext } from "./common";

export async function openEngine(ctx: BenchContext): Promise<OwnedServices> {
  const { storage, appEnv } = ctx;
  const env = parseEnv({
    ...appEnv,
    NODE_ENV: "production",
    DATABASE_URL: storage.database.kind === "postgresql" ? storage.database.url : "",
    PGLITE_DATA_DIR: storage.database.kind === "postgresql" ? undefined : "memory://",
    REDIS_URL: storage.redis?.url ?? "",
    REDIS_KEY_PREFIX: storage.redis?.prefix ?? "rjs:",
    LOG_LEVEL: "error",
  });
  const services = await buildServices(env);
  await untilTrusted(services);
  return services;
}

/** The store answers (Redis: marker seen / resynced; memory: warmed from the database). */
export async function untilTrusted(services: OwnedServices): Promise<void> {
  const store = services.store as { isTrusted?: boolean; isReady?: boolean };
  const deadline = Date.now() + 15_000;
  while (!(store.isTrusted ?? store.isReady ?? true)) {
    if (Date.now() > deadline)
      throw new Error(`the ${services.store.kind} revocation store did not become trusted within 15 s`);
    await sleep(50);
  }
}
