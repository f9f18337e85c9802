// postinstall: generate the Prisma client (src/generated/prisma, git-ignored) so a fresh clone
// works after `npm install` alone. Offline-safe: the Prisma CLI insists on a native schema-engine
// binary it would otherwise download (impossible here); generation does not need it, so we point
// it at a stub that explains itself and fails if anything actually tries to use it.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");

const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", "prisma/schema.prisma"], {
  cwd: root,
  // Capture output: on success we print one line instead of Prisma's banner and tips.
  encoding: "utf8",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts", "no-schema-engine.sh"),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    PRISMA_HIDE_PRISMA_TIPS: "1",
    CHECKPOINT_DISABLE: "1",
  },
});

if (result.status !== 0) {
  process.stderr.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  if (result.error) console.error(result.error.message);
  console.error("prisma-generate: `prisma generate` failed (see above).");
  process.exit(result.status || 1);
}
console.log("prisma-generate: Prisma client generated in src/generated/prisma");
