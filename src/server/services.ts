import "server-only";
import { buildServices, type Services } from "./build-services";
import { getEnv } from "./env";

const KEY = Symbol.for("revocable-jwt-sessions.services");
type Holder = { [KEY]?: Promise<Services> };

/**
 * The process-wide services, built on first use. Kept on globalThis so that Next's hot reload in
 * development does not open a second PGlite on the same folder or a second Redis connection.
 * Answers `Services`, not the `OwnedServices` built: the process owns them (they are never closed),
 * so no page, route or action gets the raw database, the admin verbs or close().
 */
export function getServices(): Promise<Services> {
  const holder = globalThis as Holder;
  holder[KEY] ??= buildServices(getEnv()).catch((error: unknown) => {
    delete holder[KEY]; // let the next request try again (e.g. the database came back)
    throw error;
  });
  return holder[KEY];
}
