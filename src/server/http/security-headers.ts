import type { Env } from "../env";

/**
 * Response headers for every page: a nonce-based Content-Security-Policy (Next puts the nonce on
 * its own scripts when it finds the policy on the request), no framing, no referrer leaks, and
 * HSTS when served over https.
 */
export function newNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}

export function contentSecurityPolicy(env: Env, nonce: string): string {
  const https = env.APP_URL.startsWith("https://");
  return [
    "default-src 'self'",
    ...(env.NODE_ENV === "development" ? developmentSources(nonce) : productionSources(nonce)),
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

function productionSources(nonce: string): string[] {
  return [`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`, `style-src 'self' 'nonce-${nonce}'`];
}

/**
 * Only with NODE_ENV=development (what `next dev` sets; `next start` sets production, and Next
 * warns if development is forced on it), what Next's development server needs: React rebuilds
 * server error stacks with eval, and Next's development tools (the indicator and the error overlay)
 * add their styles inline without a nonce. Browsers ignore 'unsafe-inline' when a nonce is listed,
 * so development styles list none; scripts keep the nonce, which Next puts on its own scripts in
 * development too.
 */
function developmentSources(nonce: string): string[] {
  return [`script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`, "style-src 'self' 'unsafe-inline'"];
}

/**
 * Pages that receive a secret in their address (the emailed links' `?token=`): they send no
 * Referer at all, so the token cannot leak to any request the page makes before it strips it.
 */
const LINK_TOKEN_PAGES = /^\/(reset-password|verify-email)\/?$/;

export function referrerPolicyFor(pathname: string): string {
  return LINK_TOKEN_PAGES.test(pathname) ? "no-referrer" : "strict-origin-when-cross-origin";
}

/** `pathname`: the page's path, for the pages that must not send a Referer (see referrerPolicyFor). */
export function securityHeaders(env: Env, pathname = "/"): Record<string, string> {
  const headers: Record<string, string> = {
    "Referrer-Policy": referrerPolicyFor(pathname),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (env.NODE_ENV === "production" && env.APP_URL.startsWith("https://")) {
    headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  }
  return headers;
}
