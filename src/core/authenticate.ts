import type { AccessClaims } from "./access-claims";
import type { EngineDeps } from "./deps";
import { errorMessage, invalidToken, storesUnavailable } from "./errors";
import type { RevocationState } from "./ports";

export type Authenticate = (token: string) => Promise<AccessClaims>;

/**
 * The per-request check: verify the signature locally, then ask the revocation store (one MGET).
 * Only when the store cannot answer with certainty is the database asked; when neither answers,
 * fail closed: a token that might be revoked is never accepted.
 */
export function createAuthenticator(deps: EngineDeps): Authenticate {
  const { accessTokens, store, sessions, clock, logger } = deps;

  return async function authenticate(token: string): Promise<AccessClaims> {
    const now = clock();
    const claims = await accessTokens.verify(token, now);

    let state: RevocationState | null = null;
    try {
      state = await store.check(claims.sid, claims.sub);
    } catch (error) {
      logger.warn("revocation_store_unavailable", { error: errorMessage(error) });
    }
    if (state) {
      if (state.sessionRevoked || (state.minEpoch !== null && claims.sv < state.minEpoch)) {
        throw invalidToken("revoked");
      }
      return claims;
    }

    let row;
    try {
      row = await sessions.findById(claims.sid);
    } catch (error) {
      logger.error("session_check_unavailable", { error: errorMessage(error) });
      throw storesUnavailable();
    }
    if (
      !row ||
      row.userId !== claims.sub ||
      row.revokedAt !== null ||
      claims.sv < row.userEpoch ||
      row.epoch < row.userEpoch ||
      row.absoluteExpiresAt.getTime() <= now
    ) {
      throw invalidToken("revoked");
    }
    return claims;
  };
}
