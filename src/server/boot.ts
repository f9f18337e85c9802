import { errorMessage } from "@/core/errors";
import "server-only";
import { EnvError } from "./env";
import { closeServices, getServices } from "./services";

/** Where server.mjs finds the function that closes the services when the process is asked to stop. */
const CLOSE_SERVICES = Symbol.for("revocable-jwt-sessions.close-services");

/**
 * Runs once when a server instance boots (from src/instrumentation.ts): validate the configuration
 * and open the database (on the embedded default, apply migrations) before the first request, so a
 * misconfiguration stops the process with a readable message instead of failing requests later.
 */
export async function boot(): Promise<void> {
  (globalThis as { [CLOSE_SERVICES]?: () => Promise<void> })[CLOSE_SERVICES] = closeServices;
  try {
    const services = await getServices();
    services.logger.info("server_ready", { database: services.database.kind, revocationStore: services.store.kind });
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    // Storage may come up later: requests retry building the services and answer 503 meanwhile.
    console.error(JSON.stringify({ level: "error", event: "boot_failed", error: errorMessage(error) }));
  }
}
