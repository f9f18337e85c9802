import { operations, type Operation } from "@/server/openapi/operations";

/**
 * Which requests src/proxy.ts runs for, derived from the declared API operations. Next reads the
 * proxy's `config.matcher` at build time and accepts only a literal there, so src/proxy.ts spells out
 * proxyMatcherSource() and tests/unit/proxy-scope.test.ts keeps the two equal.
 *
 * The proxy is left out of an API path when it has nothing to do there:
 * - Bearer operations: the route handler checks the token itself (apiRoute's requireAuth, one
 *   revocation lookup per request) and answers 401/503; a foreign site cannot make a browser attach
 *   a Bearer token, so there is no CSRF check to make either;
 * - read-only routes of our own (every declared operation a GET): nothing to forge.
 * It stays on everything else: pages (CSP nonce, session check and renewal, server actions' CSRF),
 * next-auth's catch-all (it answers every method under its prefix and its POSTs are
 * cookie-authenticated), the other POST endpoints (their documented 403 for a cross-site browser),
 * unknown paths, and any path with a `%` in it, so that an undecodable one still gets its 400.
 */

/** next-auth's catch-all route (src/app/api/auth/[...nextauth]) answers every method below this prefix. */
const NEXT_AUTH_PREFIX = "/api/auth/";

/** Static assets: no nonce, no session. */
const STATIC_ASSETS = ["_next/static", "_next/image", "favicon.ico", "icon.svg"];

function proxyHasNothingToDo(operation: Operation): boolean {
  if (operation.security === "bearer") return true;
  return operation.method === "get" && !operation.path.startsWith(NEXT_AUTH_PREFIX);
}

/** The OpenAPI path templates the proxy does not run for, in declaration order. */
export function pathsWithoutProxy(declared: readonly Operation[] = operations): string[] {
  const paths = [...new Set(declared.map((operation) => operation.path))];
  return paths.filter((path) =>
    declared.filter((operation) => operation.path === path).every((operation) => proxyHasNothingToDo(operation)),
  );
}

/**
 * One path template as a regular expression without the leading `/`: literal text escaped, a
 * `{param}` one segment without `%` (an encoded segment goes through the proxy's decoding check).
 */
function templatePattern(template: string): string {
  return template
    .slice(1)
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/%]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
}

/** The `source` of the proxy's matcher: every path but static assets and pathsWithoutProxy(), exactly. */
export function proxyMatcherSource(declared: readonly Operation[] = operations): string {
  const skipped = pathsWithoutProxy(declared).map(templatePattern).join("|");
  return `/((?!${STATIC_ASSETS.join("|")}|(?:${skipped})$).*)`;
}
