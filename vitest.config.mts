import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname, "src") };

/**
 * Integration files whose outcome does not depend on the storage mode: they bring their own Redis
 * servers; or they run their apps on PostgreSQL + Redis in both modes, a private server of each when
 * the mode has none (admin, cleanup, the cluster, the PostgreSQL outage; admin and cleanup test the
 * embedded database on a PGlite folder of their own); or they observe what storage cannot change
 * (the log's lines, the OpenAPI document, the sign-in's equal answers, the language of pages, errors
 * and mail). `.ci/run` runs the whole
 * suite against PostgreSQL + Redis, then again on the embedded default with STORAGE_TESTS_ONLY=1,
 * which leaves these out (and, in scripts/test.mjs, the static checks and unit tests).
 */
export const STORAGE_INDEPENDENT = [
  "tests/integration/admin.test.ts",
  "tests/integration/app-pages-language.test.ts",
  "tests/integration/auth-pages-language.test.ts",
  "tests/integration/auth-log.test.ts",
  "tests/integration/bearer-gate.test.ts",
  "tests/integration/bench-smoke.test.ts",
  "tests/integration/cleanup.test.ts",
  "tests/integration/cluster.test.ts",
  "tests/integration/dev-mode.test.ts",
  "tests/integration/enumeration.test.ts",
  "tests/integration/languages-api.test.ts",
  "tests/integration/openapi.test.ts",
  "tests/integration/postgres-outage.test.ts",
  "tests/integration/redis-store.test.ts",
  "tests/integration/redis-topologies.test.ts",
  "tests/integration/resource-server.test.ts",
  "tests/integration/server-actions-fuzz.test.ts",
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: process.env.STORAGE_TESTS_ONLY === "1" ? STORAGE_INDEPENDENT : [],
          environment: "node",
          // One migrated template database per run; every test app's database is a copy of it.
          globalSetup: ["tests/support/global-setup.ts"],
          // Every API response a test sees is checked against the OpenAPI document.
          setupFiles: ["tests/support/openapi-fetch-hook.ts"],
          // Files spend most of their time waiting on apps, servers and sockets: two at a time keep
          // both cores busy. Each file still has its own app, database and key prefix.
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
