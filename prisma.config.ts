// Prisma 7 CLI configuration. Only `prisma generate` runs through the CLI here (migrations go
// through scripts/db-migrate.ts and @prisma/schema-engine-wasm: ADR 5,
// docs/decisions/0005-migrations-without-the-native-engine.md), but keeping the standard paths lets
// the CLI, editors and future tooling agree with our migrator.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // Not `env('DATABASE_URL')`: it throws when the variable is unset, which would break
    // `prisma generate` (postinstall) on a fresh clone. The default is never connected to by generate.
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused",
  },
});
