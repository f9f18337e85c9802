import type { RevocationState } from "@/core/ports";

/**
 * The revocation store's layout in Redis (ADR 3), shared by the app's store and by any other
 * service that reads it (examples/resource-server): one definition of the key names and of what
 * a reply means.
 *
 * - `${prefix}ready` (no TTL): this Redis holds every revocation of the last few minutes.
 *   Missing = it was flushed or restarted: nothing it says can be trusted until the app resyncs.
 * - `${prefix}s:${sid}` = "1": that session is revoked.
 * - `${prefix}e:${userId}` = epoch: tokens of that user with a lower `sv` are refused.
 */
export interface RevocationKeys {
  ready: string;
  session(sessionId: string): string;
  epoch(userId: string): string;
}

export function revocationKeys(prefix: string): RevocationKeys {
  return {
    ready: `${prefix}ready`,
    session: (sessionId) => `${prefix}s:${sessionId}`,
    epoch: (userId) => `${prefix}e:${userId}`,
  };
}

/** The keys of one check, in the order `revocationStateOf` reads the reply of their MGET. */
export function checkKeys(keys: RevocationKeys, sessionId: string, userId: string): [string, string, string] {
  return [keys.ready, keys.session(sessionId), keys.epoch(userId)];
}

/** What the MGET of `checkKeys` says; null when Redis cannot be trusted (marker missing) or the epoch is unreadable. */
export function revocationStateOf([ready, revoked, epoch]: (string | null | undefined)[]): RevocationState | null {
  if (ready == null) return null;
  let minEpoch: number | null = null;
  if (epoch != null) {
    minEpoch = Number(epoch);
    if (!Number.isSafeInteger(minEpoch)) return null;
  }
  return { sessionRevoked: revoked != null, minEpoch };
}
