import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import type { SecretBox } from "./ports";

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

const SEALED_VERSION = "v1";

/**
 * AES-256-GCM with a random 96-bit nonce per seal: "v1.<nonce>.<ciphertext>.<tag>" (base64url). A
 * sealed value that was altered, or sealed under another key, does not open.
 */
export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new Error("The secret box key must be 32 bytes.");
  return {
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [SEALED_VERSION, nonce, body, cipher.getAuthTag()]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, nonce, body, tag, ...rest] = sealed.split(".");
      if (version !== SEALED_VERSION || !nonce || body === undefined || !tag || rest.length > 0)
        throw new Error("Not a sealed value.");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}
