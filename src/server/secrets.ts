import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { randomToken } from "@/core/crypto";
import {
  generateSigningKey,
  loadKeyRing,
  SIGNING_ALGORITHMS,
  type KeyRing,
  type PrivateJwk,
} from "@/core/signing-keys";
import { EnvError, type Env } from "./env";

const jwkSetSchema = z.object({
  keys: z
    .array(
      z.looseObject({
        kid: z.string().min(1),
        alg: z.enum(SIGNING_ALGORITHMS),
        kty: z.string(),
        d: z.string().min(1, "each key must be a private key"),
      }),
    )
    .min(1),
});

export interface Secrets {
  /** Root of derived keys (refresh-token successors, next-auth). */
  authSecret: string;
  keyRing: KeyRing;
}

/**
 * Production: both from the environment. Development: generated once and kept in DATA_DIR, so a
 * restart does not sign everyone out (and nothing secret is committed).
 */
export async function loadSecrets(env: Env): Promise<Secrets> {
  const authSecret =
    env.AUTH_SECRET ?? (await readOrCreate(path.join(env.DATA_DIR, "auth-secret"), async () => randomToken(32)));
  const rawKeys =
    env.JWT_SIGNING_KEYS ??
    (await readOrCreate(path.join(env.DATA_DIR, "signing-keys.json"), async () =>
      JSON.stringify({ keys: [await generateSigningKey()] }, null, 2),
    ));
  return { authSecret, keyRing: await loadKeyRing(parseKeySet(rawKeys)) };
}

export function parseKeySet(raw: string): PrivateJwk[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new EnvError('JWT_SIGNING_KEYS is not valid JSON (expected a JWK set: {"keys": [...]})');
  }
  const result = jwkSetSchema.safeParse(json);
  if (!result.success)
    throw new EnvError(`JWT_SIGNING_KEYS is not a usable JWK set: ${result.error.issues[0]?.message}`);
  return result.data.keys as PrivateJwk[];
}

async function readOrCreate(file: string, create: () => Promise<string>): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const value = await create();
  try {
    await writeFile(file, value, { mode: 0o600, flag: "wx" });
    return value;
  } catch (error) {
    // Another process created it first: use theirs, so both sign with the same key.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readFile(file, "utf8")).trim();
    throw error;
  }
}
