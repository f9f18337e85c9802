import { deriveKey, hmacSha256, randomToken, sha256 } from "./crypto";
import { SESSION_ID_PATTERN } from "./ids";

/**
 * Opaque refresh tokens `<sessionId>.<secret>` (22 + 1 + 43 characters).
 *
 * - The session id prefix makes look-up a primary-key read: no scan over stored hashes.
 * - Only SHA-256 of a token is stored: 256 random bits need no slow hash.
 * - The successor of a token is derived from it with a server key (HMAC). Every concurrent caller
 *   presenting the same token inside the grace window therefore computes the *same* successor,
 *   without the server ever storing a usable token. See docs/decisions/0002-refresh-rotation.md.
 */
export class RefreshTokens {
  private readonly successorKey: Uint8Array;

  constructor(appSecret: string) {
    this.successorKey = deriveKey(appSecret, "refresh-token-successor");
  }

  mint(sessionId: string): string {
    return `${sessionId}.${randomToken(32)}`;
  }

  successor(token: string): string {
    return `${sessionIdOf(token)}.${hmacSha256(this.successorKey, token)}`;
  }

  hash(token: string): string {
    return sha256(token);
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
