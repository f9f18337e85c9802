import "server-only";
import { buildServices, type OwnedServices, type Services } from "./build-services";
import { getEnv } from "./env";

const KEY = Symbol.for("revocable-jwt-sessions.services");
const CLOSED = Symbol.for("revocable-jwt-sessions.services-closed");
type Holder = { [KEY]?: Promise<OwnedServices>; [CLOSED]?: boolean };

/**
 * The process-wide services, built on first use. Kept on globalThis so that Next's hot reload in
 * development does not open a second PGlite on the same folder or a second Redis connection.
 * Answers `Services`, not the `OwnedServices` built: the process owns them (closed only by
 * closeServices at shutdown), so no page, route or action gets the raw database, the admin verbs or close().
 */
export function getServices(): Promise<Services> {
  const holder = globalThis as Holder;
  if (holder[CLOSED]) return Promise.reject(new Error("The server is shutting down."));
  holder[KEY] ??= buildServices(getEnv()).catch((error: unknown) => {
    delete holder[KEY]; // let the next request try again (e.g. the database came back)
    throw error;
  });
  return holder[KEY];
}

/**
 * Closes the process-wide services once, at shutdown (server.mjs calls it through boot.ts): the
 * Redis connections quit, the database disconnects, PGlite closes and releases its lock file.
 * Afterwards getServices() refuses, so nothing opens them again.
 */
export async function closeServices(): Promise<void> {
  const holder = globalThis as Holder;
  holder[CLOSED] = true;
  const services = holder[KEY];
  delete holder[KEY];
  await (await services?.catch(() => undefined))?.close();
}
