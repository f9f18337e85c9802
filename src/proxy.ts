import { NextResponse, type NextRequest } from "next/server";
import { errorMessage } from "@/core/errors";
import type { Services } from "@/server/build-services";
import { resolveBrowserSession } from "@/server/auth/browser-session";
import { clearSessionCookies, cookieNames, writeSessionCookies } from "@/server/auth/cookies";
import { malformedActionBody } from "@/server/http/action-body";
import { clientContext } from "@/server/http/client-info";
import { engineText } from "@/core/messages";
import { localeOfHeaders } from "@/server/http/request-language";
import { isForeignStateChange } from "@/server/http/csrf";
import { errorJson } from "@/server/http/errors";
import { SERVICES_UNAVAILABLE_MESSAGE, servicesUnavailable } from "@/server/http/route";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/server/http/security-headers";
import { getServices } from "@/server/services";

/**
 * The gate in front of pages and cookie-authenticated endpoints (Node.js runtime in Next 16):
 * - every state change authenticated by cookies must come from our own origin (CSRF);
 * - protected pages: the session cookie, checked by checkBrowserToken; when its JWT has run out, the
 *   refresh cookie is rotated and both cookies renewed (for the browser and for this very request);
 *   a signed-out or revoked browser goes to /login?reason=...;
 * - every page gets a fresh CSP nonce and the security headers;
 * - a path that cannot be percent-decoded is refused with a 400, and so is a server-action body that
 *   Next's decoder could not read (src/server/http/action-body.ts).
 * It does not run for Bearer APIs or read-only API routes (see src/server/auth/proxy-scope.ts): their
 * handler checks the Bearer token itself, once per request, and answers 401/503 (apiRoute).
 * No database query while the revocation store answers (a renewal, once per token lifetime, is one).
 * Server components and server actions check the session again themselves: this is not the only gate.
 */
const PROTECTED_PAGES = /^\/(devices|settings)(\/|$)/;
/** Pages that answer a signed-out browser themselves (the root page sends it on). */
const SELF_ANSWERING = /^\/$/;

export async function proxy(request: NextRequest): Promise<Response> {
  const services = await getServices().catch(() => null);
  if (!services) return unavailable(request);
  const { pathname } = request.nextUrl;
  if (!isDecodable(pathname)) return badPath(pathname);

  if (isForeignStateChange(request, new URL(services.env.APP_URL).origin)) {
    return errorJson(
      403,
      { error: "invalid_request", error_description: engineText("request.crossSite") },
      {},
      localeOfHeaders(request.headers),
    );
  }
  if (pathname.startsWith("/api/") || pathname.startsWith("/.well-known/")) return NextResponse.next();
  const malformed = await malformedActionBody(request);
  if (malformed) {
    return errorJson(
      400,
      {
        error: "invalid_request",
        error_description: engineText("request.formSubmissionUnreadable", { reason: malformed }),
      },
      {},
      localeOfHeaders(request.headers),
    );
  }

  // A page: a fresh nonce for Next's scripts, then the session check where one is needed.
  const nonce = newNonce();
  const csp = contentSecurityPolicy(services.env, nonce);
  request.headers.set("content-security-policy", csp);
  request.headers.set("x-nonce", nonce);
  const response =
    PROTECTED_PAGES.test(pathname) || SELF_ANSWERING.test(pathname)
      ? await guardPage(request, services)
      : NextResponse.next({ request: { headers: request.headers } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(securityHeaders(services.env, pathname)))
    response.headers.set(name, value);
  return response;
}

async function guardPage(request: NextRequest, services: Services): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  const names = cookieNames(services.env);
  let state;
  try {
    state = await resolveBrowserSession(
      services.engine,
      { session: request.cookies.get(names.session)?.value, refresh: request.cookies.get(names.refresh)?.value },
      Date.now(),
      clientContext(request.headers, services.env.TRUST_PROXY_HOPS),
    );
  } catch (error) {
    services.logger.error("proxy_session_check_failed", { error: errorMessage(error) });
    return unavailable(request);
  }

  if (state.kind === "active") return NextResponse.next({ request: { headers: request.headers } });
  if (state.kind === "renewed") {
    // The page rendered by this request must already see the new token.
    request.cookies.set(names.session, state.pair.accessToken);
    request.cookies.set(names.refresh, state.pair.refreshToken);
    const response = NextResponse.next({ request: { headers: request.headers } });
    writeSessionCookies(response.cookies, services.env, state.pair);
    return response;
  }
  if (SELF_ANSWERING.test(pathname)) return NextResponse.next({ request: { headers: request.headers } });

  const login = new URL("/login", request.url);
  if (state.kind === "signed_out") login.searchParams.set("reason", state.reason);
  login.searchParams.set("callbackUrl", `${pathname}${search}`);
  const response = NextResponse.redirect(login);
  if (state.kind === "signed_out") clearSessionCookies(response.cookies, services.env);
  return response;
}

/** Next's router answers a bare 500 for a path it cannot percent-decode: refuse it here, readably. */
function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function badPath(pathname: string): Response {
  const description = "The request path is not valid (bad percent-encoding).";
  if (pathname.startsWith("/api/")) return errorJson(400, { error: "invalid_request", error_description: description });
  return new Response(description, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

function unavailable(request: NextRequest): Response {
  if (request.nextUrl.pathname.startsWith("/api/")) return servicesUnavailable(localeOfHeaders(request.headers));
  return new Response(SERVICES_UNAVAILABLE_MESSAGE, {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
  });
}

export const config = {
  // Pages and cookie-authenticated endpoints, not static assets, Bearer APIs or read-only API routes:
  // the source is proxyMatcherSource() (src/server/auth/proxy-scope.ts), written out because Next
  // reads it at build time; a unit test keeps the two equal. Prefetches render nothing that needs a nonce.
  matcher: [
    {
      source:
        "/((?!_next/static|_next/image|favicon.ico|icon.svg|(?:api/auth/logout|api/me|api/sessions|api/sessions/[^/%]+|api/account/activity|api/account/password|api/account/email/verification|api/account/email|api/account|api/account/passkeys|api/account/passkeys/options|api/account/passkeys/[^/%]+|api/session/events|\\.well-known/jwks\\.json|\\.well-known/oauth-authorization-server|api/health|api/openapi\\.json|api/bench/stateless|api/bench/constant|api/account/totp|api/account/totp/confirm|api/account/totp/recovery-codes|api/account/identities|api/account/identities/[^/%]+)$).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
