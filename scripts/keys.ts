/**
 * Signing keys for production (JWT_SIGNING_KEYS is a private JWK set; the first key signs, every
 * key verifies). Each command prints the next set as JSON on stdout; store it in your secret
 * manager. Nothing is written to disk. docs/DEPLOYMENT.md#signing-keys has the procedure.
 *   npm run keys:generate    a new set with one ES256 key
 *   npm run keys:rotate      one instance: a new key in front (signs at once), previous two kept
 *   npm run keys:stage       several instances, step 1: the new key appended (verifies only)
 *   npm run keys:promote     step 2, after every instance runs the staged set: the staged key signs
 * rotate, stage and promote read the current set from JWT_SIGNING_KEYS.
 */
import { KeyRotationError, nextKeySet, type KeyCommand } from "../src/core/key-rotation";
import { generateSigningKey } from "../src/core/signing-keys";
import { parseKeySet } from "../src/server/secrets";

const COMMANDS: KeyCommand[] = ["generate", "rotate", "stage", "promote"];

async function main(command: string | undefined): Promise<void> {
  if (!COMMANDS.includes(command as KeyCommand))
    throw new KeyRotationError(`usage: npm run keys:${COMMANDS.join(" | keys:")}`);
  const current = process.env.JWT_SIGNING_KEYS;
  if (command !== "generate" && !current)
    throw new KeyRotationError(`keys:${command} reads the current set from JWT_SIGNING_KEYS, which is not set.`);
  const keys = nextKeySet(
    command as KeyCommand,
    current ? parseKeySet(current) : [],
    await generateSigningKey("ES256"),
  );
  console.log(JSON.stringify({ keys }));
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
