import "server-only";
import type { AccessClaims } from "@/core/access-tokens";
import { isAuthError } from "@/core/errors";
import type { RequestContext } from "@/core/session-engine";
import type { Services } from "../build-services";
import { createLogger } from "../logger";
import { getServices } from "../services";
import { bearerToken } from "./bearer";
import { clientContext } from "./client-info";
import { authErrorResponse, unexpectedErrorResponse } from "./errors";

export interface ApiContext {
  request: Request;
  services: Services;
  client: RequestContext;
  /** The Bearer token's verified and revocation-checked claims; throws `invalid_token` otherwise. */
  requireAuth(): Promise<AccessClaims>;
}

const fallbackLogger = createLogger("error");

/**
 * Wraps a route handler: builds its context and turns every thrown error into a JSON response
 * (AuthError -> its status; storage outage -> 503; anything else -> 500 without details).
 */
export function apiRoute<P = Record<string, never>>(
  handler: (ctx: ApiContext, params: P) => Promise<Response>,
): (request: Request, route: { params: Promise<P> }) => Promise<Response> {
  return async (request, route) => {
    let services: Services | undefined;
    try {
      services = await getServices();
      const ready = services;
      const ctx: ApiContext = {
        request,
        services: ready,
        client: clientContext(request.headers, ready.env.TRUST_PROXY_HOPS),
        requireAuth: () => ready.engine.authenticate(bearerToken(request.headers)),
      };
      return await handler(ctx, await route.params);
    } catch (error) {
      if (isAuthError(error)) return authErrorResponse(error);
      return unexpectedErrorResponse(error, services?.logger ?? fallbackLogger);
    }
  };
}
