#!/usr/bin/env node
/**
 * `npm test`: the whole suite, in the order that fails fastest.
 *   typecheck -> lint -> format -> unit -> production build -> integration (HTTP against `next start`) -> e2e
 * Storage follows the environment: DATABASE_URL / REDIS_URL set = real PostgreSQL / Redis
 * (each test app gets a throwaway database and its own key prefix), unset = embedded PGlite and
 * the in-process store. SKIP_BUILD=1 reuses an existing .next build. STORAGE_TESTS_ONLY=1 runs
 * only what the storage mode can change (no static checks, no unit tests, no storage-independent
 * integration files: vitest.config.mts), for a second pass over another storage mode (.ci/run).
 * Ends with one line "tests: N passed, N failed" summing every runner.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const totals = { passed: 0, failed: 0, skipped: 0 };
const startedAt = Date.now();
const storageOnly = env.STORAGE_TESTS_ONLY === "1";
const mode = `${env.DATABASE_URL ? "PostgreSQL" : "PGlite (embedded)"} + ${env.REDIS_URL ? "Redis" : "in-process store"}`;

function run(title, command, args) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`--- ${title}: ${result.status === 0 ? "ok" : "FAILED"} (${seconds} s)`);
  return result.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const stats = JSON.parse(readFileSync(file, "utf8")).stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
}

function finish(ok) {
  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  console.log(`\nStorage: ${mode}${storageOnly ? " (storage-dependent tests only)" : ""}; ${minutes} min in all`);
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
  process.exit(ok && totals.failed === 0 ? 0 : 1);
}

const npx = (bin, ...args) => [process.execPath, [path.join(root, "node_modules", ...bin.split("/")), ...args]];
const vitest = (project) =>
  npx(
    "vitest/vitest.mjs",
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${path.join(reports, `${project}.json`)}`,
  );

console.log(`Storage: ${mode}`);
if (!storageOnly) {
  if (!run("typecheck", ...npx("typescript/bin/tsc", "--noEmit", "-p", "."))) finish(false);
  if (!run("lint", ...npx("eslint/bin/eslint.js", "."))) finish(false);
  if (
    !run(
      "format (Prettier; `npm run format` fixes)",
      ...npx("prettier/bin/prettier.cjs", "--check", "--log-level", "warn", "."),
    )
  ) {
    finish(false);
  }
  const unitOk = run("unit tests", ...vitest("unit"));
  countVitest(path.join(reports, "unit.json"));
  if (!unitOk) finish(false);
}

if (env.SKIP_BUILD !== "1" || !existsSync(path.join(root, ".next", "BUILD_ID"))) {
  if (!run("production build", ...npx("next/dist/bin/next", "build"))) finish(false);
}

const integrationOk = run("integration tests", ...vitest("integration"));
countVitest(path.join(reports, "integration.json"));

let e2eOk = true;
if (existsSync(path.join(root, "playwright.config.ts"))) {
  e2eOk = run("end-to-end tests (Chromium)", ...npx("@playwright/test/cli.js", "test"));
  countPlaywright(path.join(reports, "e2e.json"));
}
finish(integrationOk && e2eOk);
