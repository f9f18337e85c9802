import type { AccessClaims } from "./access-claims";
import { sha256 } from "./crypto";

/**
 * Remembers tokens whose signature was already verified, so a token sent on every request costs
 * one signature check in its life, not one per request. Keyed by SHA-256 of the token (43 bytes,
 * whatever the token's size); bounded by entry count, oldest evicted first. Expiry is still
 * checked on every hit by the caller, and revocation is never cached.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Readonly<AccessClaims>>();

  constructor(readonly maxEntries: number) {}

  static keyOf(token: string): string {
    return sha256(token);
  }

  get(key: string): Readonly<AccessClaims> | undefined {
    return this.entries.get(key);
  }

  set(key: string, claims: AccessClaims): void {
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, Object.freeze({ ...claims }));
  }

  get size(): number {
    return this.entries.size;
  }
}
