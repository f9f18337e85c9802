/**
 * `npm run db:seed`: a demo account to sign in with (see the README). Idempotent.
 * With the embedded database, stop `npm run dev` first: one PGlite folder serves one process.
 */
import { isAuthError } from "../src/core/errors";
import { buildServices } from "../src/server/build-services";
import { parseEnv } from "../src/server/env";

export const DEMO_USER = { email: "demo@example.com", password: "demo-password-2026", name: "Demo User" };

async function main(): Promise<void> {
  const services = await buildServices(parseEnv(process.env));
  try {
    await services.engine.register(DEMO_USER);
    console.log(`Created ${DEMO_USER.email} (password: ${DEMO_USER.password}) in ${services.database.kind}.`);
  } catch (error) {
    if (!isAuthError(error) || error.code !== "email_taken") throw error;
    console.log(`${DEMO_USER.email} already exists in ${services.database.kind}; nothing to do.`);
  } finally {
    await services.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
