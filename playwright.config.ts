import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./e2e/chromium";

/**
 * End-to-end tests: one production app (`next start` on the existing build, started by
 * e2e/global-setup.ts on its own database / Redis key prefix) and Chromium (e2e/chromium.ts), one browser
 * context per device. `npm test` reads the JSON report below; `list` is for people.
 */
const port = Number(process.env.E2E_PORT ?? 3210);

/**
 * With STORAGE_TESTS_ONLY=1 (the second pass of .ci/run, on another storage mode) only the specs
 * whose browser-visible outcome rests on the storage: sign-outs pushed live across browsers and
 * instances' stores, a revoked cookie, the account flows (reset and deletion push every browser
 * out). Forms, validation, activity pages, screenshots, the accessibility audit and the keyboard
 * flows do not change with storage; their storage paths run on both modes in the integration tests.
 */
const STORAGE_SPECS = ["devices.spec.ts", "revoked-cookie.spec.ts", "account.spec.ts"];
// localhost, not 127.0.0.1: WebAuthn refuses an IP address as relying party id (e2e/passkeys.spec.ts).
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  ...(process.env.STORAGE_TESTS_ONLY === "1" ? { testMatch: STORAGE_SPECS } : {}),
  globalSetup: "./e2e/global-setup.ts",
  // One app, two browsers at a time: tests share the app, never a user (each makes its own).
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 30_000,
  forbidOnly: !!process.env.CI,
  outputDir: "test-results/e2e-artifacts",
  reporter: [["list"], ["json", { outputFile: "test-results/reports/e2e.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        // CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own (e2e/chromium.ts).
        launchOptions: {
          executablePath: findChromium().path,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
});
