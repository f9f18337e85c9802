/**
 * CSRF defence for everything a browser's cookies authenticate (server actions, next-auth's
 * endpoints, our cookie routes): a state-changing request whose Origin is not ours is refused.
 * Browsers send Origin on every cross-site POST (and Sec-Fetch-Site); clients without either
 * (curl, mobile apps) carry no ambient cookies to abuse. Bearer calls are not affected: a foreign
 * site cannot make a browser attach a Bearer token. SameSite=Lax cookies are the second layer.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isForeignStateChange(request: Request, appOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  if (/^Bearer\s/i.test(request.headers.get("authorization") ?? "")) return false;
  const origin = request.headers.get("origin");
  if (origin) return origin !== appOrigin && !sameHost(origin, request.headers.get("host"));
  return request.headers.get("sec-fetch-site") === "cross-site";
}

/** An Origin naming the host the browser sent this request to (a page loaded from this instance). */
function sameHost(origin: string, host: string | null): boolean {
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}
