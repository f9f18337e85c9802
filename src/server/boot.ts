import { errorMessage } from "@/core/errors";
import "server-only";
import { EnvError } from "./env";
import { getServices } from "./services";

/**
 * Runs once when a server instance boots (from src/instrumentation.ts): validate the configuration
 * and open the database (on the embedded default, apply migrations) before the first request, so a
 * misconfiguration stops the process with a readable message instead of failing requests later.
 */
export async function boot(): Promise<void> {
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
