import { timingSafeEqual } from "node:crypto";
import type { AccessClaims } from "./access-claims";
import type { Authenticate } from "./authenticate";
import { sha256 } from "./crypto";
import type { EngineDeps } from "./deps";
import { isAuthError } from "./errors";

/**
 * Token introspection (RFC 7662) for other services: which services may ask, and what "active"
 * means. The HTTP names (Basic credentials, the response fields) are applied at the edge.
 */

/** A service allowed to introspect, from INTROSPECTION_CLIENTS. */
export interface IntrospectionClient {
  id: string;
  secret: string;
}

/** What a caller presented (already decoded from its Authorization header). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export type ClientCheck = { ok: true; clientId: string } | { ok: false; description: string };

/**
 * Secrets are compared as SHA-256 digests with timingSafeEqual: equal lengths whatever was sent,
 * and no early exit on the first wrong character. An unknown id is compared against a dummy
 * digest, so it costs the same time as a wrong secret.
 */
export function createClientVerifier(
  clients: readonly IntrospectionClient[],
): (presented: ClientCredentials) => boolean {
  const digests = new Map(clients.map((client) => [client.id, digest(client.secret)]));
  const dummy = digest("no-such-client-no-such-client");
  return (presented) => {
    const expected = digests.get(presented.clientId);
    const matches = timingSafeEqual(digest(presented.clientSecret), expected ?? dummy);
    return matches && expected !== undefined;
  };
}

function digest(secret: string): Buffer {
  return Buffer.from(sha256(secret));
}

export type Introspection = ReturnType<typeof createIntrospection>;

export function createIntrospection(
  deps: Pick<EngineDeps, "rateLimits" | "logger"> & {
    clients: readonly IntrospectionClient[];
    authenticate: Authenticate;
  },
) {
  const { rateLimits, logger, authenticate } = deps;
  const verify = createClientVerifier(deps.clients);

  return {
    /**
     * Who is asking. `null` credentials: none, or not readable. Wrong ones count towards the
     * address's limit; an address over it is refused (`rate_limited`) before anything is compared.
     */
    async authenticateClient(presented: ClientCredentials | null, ip: string | null): Promise<ClientCheck> {
      if (!presented) return { ok: false, description: "Client authentication (HTTP Basic) is required." };
      await rateLimits.beforeClientAuth(ip);
      if (verify(presented)) return { ok: true, clientId: presented.clientId };
      await rateLimits.clientAuthFailed(ip);
      // The client id is not a secret (the secret is never logged): it tells a misconfigured service apart.
      logger.warn("introspection_client_refused", { clientId: presented.clientId.slice(0, 64), ip });
      return { ok: false, description: "Unknown client or wrong client secret." };
    },

    /**
     * The token's claims when it would be accepted right now by the API itself (signature, expiry,
     * revocation, epoch), else null. Only access tokens can be active: a refresh token is not a
     * credential a resource server may accept. When revocation cannot be determined the error
     * (`temporarily_unavailable`) propagates: never "active" on a guess.
     */
    async activeClaims(token: string): Promise<AccessClaims | null> {
      try {
        return await authenticate(token);
      } catch (error) {
        if (isAuthError(error) && error.code === "invalid_token") return null;
        throw error;
      }
    },
  };
}
