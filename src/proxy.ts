import { NextResponse, type NextRequest } from "next/server";
import { isAuthError } from "@/core/errors";
import { resolveBrowserSession } from "@/server/auth/browser-session";
import { clearSessionCookies, cookieNames, writeSessionCookies } from "@/server/auth/cookies";
import { bearerToken } from "@/server/http/bearer";
import { authErrorResponse, unexpectedErrorResponse } from "@/server/http/errors";
import { getServices } from "@/server/services";

/**
 * The gate in front of pages and APIs that need a user (Node.js runtime in Next 16).
 * - Bearer APIs: signature, expiry and the revocation check; 401 JSON otherwise.
 * - Pages: the session cookie, checked the same way; when its JWT has run out, the refresh cookie
 *   is rotated and both cookies are renewed (for the browser and for this very request);
 *   a signed-out or revoked browser goes to /login?reason=...
 * No database query while the revocation store answers (a renewal, once per token lifetime, is one).
 * Handlers and server actions check again themselves: this is not the only gate.
 */
const BEARER_APIS = /^\/api\/(me|sessions|account|auth\/logout)(\/|$)/;
/** Cookie-authenticated endpoints that answer a signed-out browser themselves (the sign-out push). */
const SELF_ANSWERING = /^\/api\/session\//;

export async function proxy(request: NextRequest): Promise<NextResponse | Response> {
  const services = await getServices().catch(() => null);
  if (!services) return unavailable(request);
  const { pathname, search } = request.nextUrl;
  try {
    if (BEARER_APIS.test(pathname)) {
      await services.engine.authenticate(bearerToken(request.headers));
      return NextResponse.next();
    }

    const names = cookieNames(services.env);
    const state = await resolveBrowserSession(
      services.engine,
      { session: request.cookies.get(names.session)?.value, refresh: request.cookies.get(names.refresh)?.value },
      Date.now(),
    );
    if (state.kind === "active") return NextResponse.next();
    if (state.kind === "renewed") {
      // The page rendered by this request must already see the new token.
      request.cookies.set(names.session, state.pair.accessToken);
      request.cookies.set(names.refresh, state.pair.refreshToken);
      const response = NextResponse.next({ request: { headers: request.headers } });
      writeSessionCookies(response.cookies, services.env, state.pair);
      return response;
    }
    if (pathname === "/" || SELF_ANSWERING.test(pathname)) return NextResponse.next();

    const login = new URL("/login", request.url);
    if (state.kind === "signed_out") login.searchParams.set("reason", state.reason);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    const response = NextResponse.redirect(login);
    if (state.kind === "signed_out") clearSessionCookies(response.cookies, services.env);
    return response;
  } catch (error) {
    if (isAuthError(error) && error.code !== "temporarily_unavailable") return authErrorResponse(error);
    if (pathname.startsWith("/api/")) return isAuthError(error) ? authErrorResponse(error) : unexpectedErrorResponse(error, services.logger);
    services.logger.error("proxy_failed", { error: error instanceof Error ? error.message : String(error) });
    return unavailable(request);
  }
}

function unavailable(request: NextRequest): Response {
  const message = "Sign-in is temporarily unavailable. Please try again in a moment.";
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return Response.json({ error: "temporarily_unavailable", error_description: message }, { status: 503, headers: { "Retry-After": "5", "Cache-Control": "no-store" } });
  }
  return new Response(message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" } });
}

export const config = {
  matcher: ["/", "/devices/:path*", "/settings/:path*", "/api/me", "/api/sessions/:path*", "/api/account/:path*", "/api/auth/logout", "/api/session/:path*"],
};
