/**
 * Vitest's global set-up for the integration tests (vitest.config.mts), run once per `vitest run`
 * before any test file: one migrated template database that every test app's database is copied
 * from (scripts/lib/databases.ts). Returns the teardown, which removes it.
 */
import { prepareTemplateDatabase } from "../../scripts/lib/databases";

export default async function setup(): Promise<() => Promise<void>> {
  return prepareTemplateDatabase();
}
