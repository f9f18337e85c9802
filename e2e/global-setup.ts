/**
 * Starts ONE production app for the whole e2e run with startTestApp (scripts/lib/test-app.ts)
 * on a fixed port (E2E_PORT, default 3210), so the config's baseURL is known before the app starts:
 * its own throwaway database (PostgreSQL when DATABASE_URL is set, a temp PGlite folder otherwise),
 * its own Redis key prefix when REDIS_URL is set (the in-process store otherwise), and
 * APP_URL=http://localhost:<port> (next-auth's public URL, and the passkeys' relying party). The returned function is Playwright's
 * global teardown: it stops the app, drops the database, deletes the keys and saves the app's output
 * to test-results/e2e-app.log.
 *
 * The app's mail goes over SMTP to a capturing server (scripts/lib/mail-capture.ts) started here,
 * which writes each message as a JSON file into a fresh folder; specs read it through
 * E2E_MAIL_DIR (e2e/mail.ts).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { require as tsxRequire } from "tsx/cjs/api";
import type * as MailCaptureModule from "../scripts/lib/mail-capture";
import type * as TestAppModule from "../scripts/lib/test-app";
import { findChromium } from "./chromium";
import { startE2eOidcProvider } from "./oidc-provider";

// The start-up code in scripts/lib is loaded through tsx's scoped require, the loader the
// repository's scripts run under, rather than Playwright's own TypeScript loader (which compiles to
// CommonJS, this package not being "type": "module"); types stay exact.
const { startTestApp } = tsxRequire("../scripts/lib/test-app.ts", __filename) as typeof TestAppModule;
const { startMailCapture, CAPTURE_MAIL_FROM } = tsxRequire(
  "../scripts/lib/mail-capture.ts",
  __filename,
) as typeof MailCaptureModule;

/** Fails fast with a clear message instead of waiting on (or testing!) someone else's server. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(`e2e: port ${port} on 127.0.0.1 is taken (${error.code}); stop what uses it or set E2E_PORT`)),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const { problem } = findChromium();
  if (problem) throw oneLine(problem);
  const root = path.dirname(config.configFile ?? path.resolve("playwright.config.ts"));
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("e2e: no production build (.next/BUILD_ID); run `npx next build` first (npm test does)");
  }
  const port = Number(process.env.E2E_PORT ?? 3210);
  // localhost, not 127.0.0.1: WebAuthn refuses an IP address as relying party id (e2e/passkeys.spec.ts).
  const baseURL = `http://localhost:${port}`;
  await assertPortFree(port);

  const mailDir = await mkdtemp(path.join(tmpdir(), "e2e-mail-"));
  const mail = await startMailCapture({ dir: mailDir });
  const oidc = await startE2eOidcProvider(); // an OpenID Connect provider: e2e/oidc.spec.ts
  const testApp = await startTestApp(
    "e2e",
    { APP_URL: baseURL, SMTP_URL: mail.url, MAIL_FROM: CAPTURE_MAIL_FROM, ...oidc.env },
    port,
  ).catch(async (error: unknown) => {
    await mail.close();
    await oidc.close();
    throw error;
  });
  // Specs and fixtures run in worker processes, which inherit this environment.
  process.env.E2E_BASE_URL = baseURL;
  process.env.E2E_MAIL_DIR = mailDir;
  console.log(
    `e2e: app on ${baseURL} (${testApp.database.kind}${testApp.redisUrl ? " + Redis" : " + in-process store"})`,
  );

  return async function globalTeardown() {
    const logFile = path.join(root, "test-results", "e2e-app.log");
    await testApp.stop();
    await mail.close();
    await oidc.close();
    await rm(mailDir, { recursive: true, force: true });
    await mkdir(path.dirname(logFile), { recursive: true });
    await writeFile(logFile, testApp.app.logs);
    console.log(`e2e: app stopped; its output is in ${path.relative(root, logFile)}`);
  };
}

/** An error Playwright prints as its message alone: no stack of launch errors, one line to act on. */
function oneLine(message: string): Error {
  const error = new Error(message);
  error.stack = message;
  return error;
}
