import { generateSecret, generateURI, verifySync } from "otplib";
import { randomBytes, sha256 } from "./crypto";

/**
 * TOTP (RFC 6238) as this app uses it: SHA-1, 6 digits, 30-second steps (what every authenticator
 * app reads from an otpauth:// URI), one step of clock drift either way. The codes are otplib's;
 * what is decided here is the shape of what people type and how recovery codes look.
 */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side of now: a phone a little fast or slow, a code typed as it changed. */
export const TOTP_TOLERANCE_SECONDS = 30;

/** A new secret (20 random bytes, base32: the "Setup key"). */
export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(issuer: string, accountName: string, secret: string): string {
  return generateURI({ issuer, label: accountName, secret });
}

/** What a person typed as a code: spaces removed ("123 456"); null unless six digits. */
export function normaliseTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, "");
  return /^[0-9]{6}$/.test(code) ? code : null;
}

/**
 * The time step the code belongs to, when it is right for `secret` at `nowMs` (within the
 * tolerance), else null. Whether that step was used already is the repository's to decide.
 */
export function totpStepOf(secret: string, code: string, nowMs: number): number | null {
  const token = normaliseTotpCode(code);
  if (!token) return null;
  const result = verifySync({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    period: TOTP_PERIOD_SECONDS,
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}

// ---- recovery codes --------------------------------------------------------------------------

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 alphabet: no i, l, o or u, so nothing reads as something else. */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const CODE_LENGTH = 10; // 10 × 5 bits = 50 random bits

/** Ten new recovery codes, as shown once: "xxxxx-xxxxx". */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    // 256 is a multiple of 32: every letter equally likely.
    const letters = [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join("");
    return `${letters.slice(0, 5)}-${letters.slice(5)}`;
  });
}

/**
 * A recovery code as typed, in the one form that is hashed: case, spaces and hyphens do not
 * matter, and o, i, l (read as 0, 1, 1) are forgiven. Null for anything that cannot be one.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const code = input
    .toLowerCase()
    .replace(/[\s-]+/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** What is stored of a recovery code: the SHA-256 of its normal form (50 random bits: no salt needed). */
export function recoveryCodeHash(code: string): string {
  return sha256(`recovery-code:${normaliseRecoveryCode(code) ?? code}`);
}
