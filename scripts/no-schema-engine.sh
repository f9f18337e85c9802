#!/bin/sh
# Stand-in for Prisma's native schema-engine binary, which cannot be downloaded offline and which
# this project never uses (migrations run through @prisma/schema-engine-wasm, see scripts/db-migrate.ts).
# `prisma generate` only needs this path to exist. Any other Prisma CLI command that reaches it must
# fail loudly: pointing at /bin/true instead makes `prisma migrate status` "succeed" and lie.
MSG="the native Prisma schema engine is not used in this project: run npm run db:migrate, which uses @prisma/schema-engine-wasm"
# Line 1 for humans; line 2 (no trailing newline) in the engine's JSON log format, which is what
# the Prisma CLI parses out of stderr to show an error message instead of an empty "Schema engine error:".
printf '%s\n{"level":"ERROR","target":"schema_engine::logger","fields":{"error_code":"NO_NATIVE_SCHEMA_ENGINE","message":"%s"}}' "$MSG" "$MSG" >&2
exit 1
