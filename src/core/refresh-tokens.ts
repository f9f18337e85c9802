import { deriveKey, hmacSha256, randomBytes, sameBytes, sha256 } from "./crypto";
import { SESSION_ID_PATTERN } from "./ids";

const NONCE_BYTES = 16;
const TAG_BYTES = 16;

/**
 * Opaque refresh tokens `<sessionId>.<secret>` (22 + 1 + 43 characters). The secret is 16 bytes of
 * nonce and a 16-byte tag, `HMAC(tag key, sessionId . epoch . nonce)`, where `epoch` is the
 * session's (a password change moves the session to a new one and starts a new chain).
 *
 * - The session id prefix makes look-up a primary-key read: no scan over stored hashes.
 * - Only SHA-256 of a token is stored: 128 unpredictable bits need no slow hash.
 * - The successor of a token is derived from it with a server key (HMAC). Every concurrent caller
 *   presenting the same token inside the grace window therefore computes the *same* successor,
 *   without the server ever storing a usable token. See docs/decisions/0002-refresh-rotation.md.
 * - The tag tells a token this server issued for a session's current chain (any generation) from a
 *   forged one in one HMAC, without storing old hashes: an old genuine token is reuse, a forged one
 *   (or one from before the session's password change) only invalid. See docs/decisions/0013-refresh-reuse-detection.md.
 */
export class RefreshTokens {
  private readonly successorKey: Uint8Array;
  private readonly tagKey: Uint8Array;

  constructor(appSecret: string) {
    this.successorKey = deriveKey(appSecret, "refresh-token-successor");
    this.tagKey = deriveKey(appSecret, "refresh-token-tag");
  }

  /** The first token of a chain, for a session on `epoch`. */
  mint(sessionId: string, epoch: number): string {
    return this.withNonce(sessionId, epoch, randomBytes(NONCE_BYTES));
  }

  /** The next token of the chain; `epoch` is the session's (it does not change along a chain). */
  successor(token: string, epoch: number): string {
    return this.withNonce(sessionIdOf(token), epoch, hmacSha256(this.successorKey, token).subarray(0, NONCE_BYTES));
  }

  /** Whether this server issued the token in the chain of the session it names on `epoch` (any generation). */
  isGenuine(token: string, epoch: number): boolean {
    const encoded = token.slice(token.indexOf(".") + 1);
    const secret = Buffer.from(encoded, "base64url");
    // One encoding per secret: a variant spelling of a genuine token is not genuine.
    if (secret.length !== NONCE_BYTES + TAG_BYTES || secret.toString("base64url") !== encoded) return false;
    const nonce = secret.subarray(0, NONCE_BYTES);
    return sameBytes(secret.subarray(NONCE_BYTES), this.tag(sessionIdOf(token), epoch, nonce));
  }

  hash(token: string): string {
    return sha256(token);
  }

  private withNonce(sessionId: string, epoch: number, nonce: Uint8Array): string {
    const secret = Buffer.concat([nonce, this.tag(sessionId, epoch, nonce)]);
    return `${sessionId}.${secret.toString("base64url")}`;
  }

  private tag(sessionId: string, epoch: number, nonce: Uint8Array): Buffer {
    const input = `${sessionId}.${epoch}.${Buffer.from(nonce).toString("base64url")}`;
    return hmacSha256(this.tagKey, input).subarray(0, TAG_BYTES);
  }
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The session id of a well-formed refresh token, or null for anything else. */
export function parseRefreshToken(token: string): { sessionId: string } | null {
  if (token.length !== 66) return null;
  const [sessionId, secret, extra] = token.split(".");
  if (extra !== undefined || !sessionId || !secret) return null;
  if (!SESSION_ID_PATTERN.test(sessionId) || !SECRET_PATTERN.test(secret)) return null;
  return { sessionId };
}

function sessionIdOf(token: string): string {
  return token.slice(0, token.indexOf("."));
}
