import "server-only";
import type { AccessClaims } from "@/core/access-tokens";
import { errorMessage, isAuthError } from "@/core/errors";
import type { RequestContext } from "@/core/session-engine";
import type { Services } from "../build-services";
import { createLogger } from "../logger";
import { getServices } from "../services";
import { bearerToken } from "./bearer";
import type { Locale } from "@/i18n/locales";
import { clientContext } from "./client-info";
import { localeOfHeaders } from "./request-language";
import { authErrorResponse, errorJson, unexpectedErrorResponse } from "./errors";
import { engineText } from "@/core/messages";

export interface ApiContext {
  request: Request;
  services: Services;
  client: RequestContext;
  /** The Bearer token's verified and revocation-checked claims; throws `invalid_token` otherwise. */
  requireAuth(): Promise<AccessClaims>;
}

const fallbackLogger = createLogger("error");

export const SERVICES_UNAVAILABLE_MESSAGE = engineText("unavailable.signIn");

/**
 * The answer while the services cannot be built (a database or store unreachable at start, a broken
 * setting): 503, never a 500, and the next request tries again. The proxy gives it on the API paths
 * it runs for, and the same message as text to pages.
 */
export function servicesUnavailable(locale?: Locale): Response {
  return errorJson(
    503,
    { error: "temporarily_unavailable", error_description: SERVICES_UNAVAILABLE_MESSAGE },
    { "Retry-After": "5" },
    locale,
  );
}

/**
 * Wraps a route handler: builds its context and turns every thrown error into a JSON response
 * (AuthError -> its status; storage outage or services that cannot be built -> 503; anything else
 * -> 500 without details). A Bearer route's requireAuth is the only token check of its request:
 * the proxy does not run for these paths (src/server/auth/proxy-scope.ts).
 */
export function apiRoute<P = Record<string, never>>(
  handler: (ctx: ApiContext, params: P) => Promise<Response>,
): (request: Request, route: { params: Promise<P> }) => Promise<Response> {
  return async (request, route) => {
    const locale = localeOfHeaders(request.headers);
    let services: Services;
    try {
      services = await getServices();
    } catch (error) {
      fallbackLogger.error("services_unavailable", { error: errorMessage(error) });
      return servicesUnavailable(locale);
    }
    try {
      const ctx: ApiContext = {
        request,
        services,
        client: clientContext(request.headers, services.env.TRUST_PROXY_HOPS),
        requireAuth: () => services.engine.authenticate(bearerToken(request.headers)),
      };
      return await handler(ctx, await route.params);
    } catch (error) {
      if (isAuthError(error)) return authErrorResponse(error, locale);
      return unexpectedErrorResponse(error, services.logger, locale);
    }
  };
}
