#!/usr/bin/env node
/**
 * `npm test`: the whole suite, in the order that fails fastest.
 *   typecheck + lint + format + unit (side by side) -> production build -> integration (HTTP) -> e2e
 * Storage follows the environment: DATABASE_URL / REDIS_URL set = real PostgreSQL / Redis
 * (each test app gets a throwaway database and its own key prefix), unset = embedded PGlite and
 * the in-process store. SKIP_BUILD=1 reuses an existing .next build. STORAGE_TESTS_ONLY=1 runs
 * only what the storage mode can change (no static checks, no unit tests, no storage-independent
 * integration files: vitest.config.mts), for a second pass over another storage mode (.ci/run).
 * Ends with one line "tests: N passed, N failed" summing every runner.
 */
import { spawn, spawnSync } from "node:child_process";
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

/**
 * Steps that need nothing from each other, run side by side (each is mostly one core's work): their
 * output is kept and printed whole as each one ends, so the log reads as if they ran in turn.
 */
async function runTogether(steps) {
  const started = Date.now();
  const results = await Promise.all(
    steps.map(
      ({ title, command, args }) =>
        new Promise((resolve) => {
          const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
          const output = [];
          child.stdout.on("data", (chunk) => output.push(chunk));
          child.stderr.on("data", (chunk) => output.push(chunk));
          child.on("error", (error) => output.push(Buffer.from(`${String(error)}\n`)));
          child.on("close", (code) => {
            const seconds = ((Date.now() - started) / 1000).toFixed(1);
            console.log(`\n=== ${title} ===`);
            process.stdout.write(Buffer.concat(output));
            console.log(`--- ${title}: ${code === 0 ? "ok" : "FAILED"} (${seconds} s, alongside the other checks)`);
            resolve(code === 0);
          });
        }),
    ),
  );
  return results.every(Boolean);
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
  const step = (title, [command, args]) => ({ title, command, args });
  const checksOk = await runTogether([
    step("typecheck", npx("typescript/bin/tsc", "--noEmit", "-p", ".")),
    step("lint", npx("eslint/bin/eslint.js", ".")),
    step(
      "format (Prettier; `npm run format` fixes)",
      npx("prettier/bin/prettier.cjs", "--check", "--log-level", "warn", "."),
    ),
    step("unit tests", vitest("unit")),
  ]);
  countVitest(path.join(reports, "unit.json"));
  if (!checksOk) finish(false);
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
