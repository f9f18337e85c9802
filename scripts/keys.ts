/**
 * Signing keys for production (JWT_SIGNING_KEYS is a private JWK set; the first key signs, every
 * key verifies).
 *   npm run keys:generate                 a new set with one ES256 key
 *   npm run keys:rotate                   JWT_SIGNING_KEYS with a new key in front (old ones kept,
 *                                         so tokens they signed stay valid until they expire)
 * Prints the JSON to stdout; store it in your secret manager. Nothing is written to disk.
 */
import { generateSigningKey } from "../src/core/signing-keys";
import { parseKeySet } from "../src/server/secrets";

async function main(command: string | undefined): Promise<void> {
  const fresh = await generateSigningKey("ES256");
  if (command === "generate") {
    console.log(JSON.stringify({ keys: [fresh] }));
    return;
  }
  if (command === "rotate") {
    const current = process.env.JWT_SIGNING_KEYS;
    if (!current) throw new Error("keys:rotate reads the current set from JWT_SIGNING_KEYS, which is not set.");
    // Keep at most the previous two keys: older ones cannot have signed a token that is still valid.
    console.log(JSON.stringify({ keys: [fresh, ...parseKeySet(current).slice(0, 2)] }));
    return;
  }
  throw new Error("usage: npm run keys:generate | npm run keys:rotate");
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
