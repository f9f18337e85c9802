import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export { randomBytes };

/** `bytes` of CSPRNG output, base64url (no padding). */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

export function hmacSha256(key: Uint8Array, value: string): Buffer {
  return createHmac("sha256", key).update(value).digest();
}

/** Equal bytes, compared in constant time (a secret-dependent comparison must not leak by timing). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A purpose-bound subkey of the application secret, so one secret never serves two uses. */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "revocable-jwt-sessions", purpose, 32));
}
