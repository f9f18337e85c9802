import type { TokenPair } from "@/core/session-engine";
import type { Env } from "../env";

/**
 * The browser's two httpOnly cookies: the session token (next-auth's session cookie, holding this
 * device's access JWT) and the refresh token (rotated by the proxy when the JWT runs out).
 * Served over https they are `Secure` and `__Host-` prefixed (no Domain, Path=/); never readable by
 * scripts, never in localStorage.
 */
export interface CookieNames {
  session: string;
  refresh: string;
  secure: boolean;
}

export function cookieNames(env: Env): CookieNames {
  const secure = env.APP_URL.startsWith("https://");
  const prefix = secure ? "__Host-" : "";
  return { session: `${prefix}rjs.session-token`, refresh: `${prefix}rjs.refresh-token`, secure };
}

export interface CookieOptions {
  httpOnly: boolean;
  sameSite: "lax";
  secure: boolean;
  path: string;
  maxAge: number;
}

export function cookieOptions(env: Env): CookieOptions {
  return {
    httpOnly: true,
    sameSite: "lax",
    secure: cookieNames(env).secure,
    path: "/",
    maxAge: env.SESSION_IDLE_TTL_SECONDS,
  };
}

/** Both `cookies()` of next/headers and `NextResponse.cookies` have this shape. */
export interface CookieJar {
  set(name: string, value: string, options: Partial<CookieOptions>): unknown;
}

export function writeSessionCookies(
  jar: CookieJar,
  env: Env,
  pair: Pick<TokenPair, "accessToken" | "refreshToken">,
): void {
  const names = cookieNames(env);
  const options = cookieOptions(env);
  jar.set(names.session, pair.accessToken, options);
  jar.set(names.refresh, pair.refreshToken, options);
}

export function clearSessionCookies(jar: CookieJar, env: Env): void {
  const names = cookieNames(env);
  const options = { ...cookieOptions(env), maxAge: 0 };
  jar.set(names.session, "", options);
  jar.set(names.refresh, "", options);
}
