import { randomBytes } from "node:crypto";
import { generateSigningKey } from "../../src/core/signing-keys";

/** Production-style secrets for test instances (shared by every instance of one cluster). */
export async function testSecrets(): Promise<Record<string, string>> {
  return {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    JWT_SIGNING_KEYS: JSON.stringify({ keys: [await generateSigningKey()] }),
  };
}
