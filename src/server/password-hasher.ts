import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "@/core/ports";

/**
 * argon2id at OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1). The parameters live in
 * each hash, so raising them later only affects new hashes.
 */
const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, not importable under isolatedModules)
const options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const argon2Hasher: PasswordHasher = {
  hash(password) {
    return hash(password, options);
  },
  async verify(passwordHash, password) {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash is a failed sign-in, not a crash
    }
  },
};
