import "server-only";
import type { Env } from "../../env";
import { cookieNames } from "../cookies";
import { MFA_CHALLENGE_TTL_SECONDS } from "@/core/two-factor";

/**
 * The mfa token between the two steps of a browser sign-in: HttpOnly (never readable by scripts),
 * SameSite=Strict (sent only by this app's own pages), as short-lived as the challenge, `Secure`
 * and `__Host-` prefixed over https. Never in a URL, a page or localStorage.
 */
export function mfaCookieName(env: Env): string {
  const { secure } = cookieNames(env);
  return `${secure ? "__Host-" : ""}rjs.mfa-token`;
}

export function mfaCookieOptions(env: Env, maxAge = MFA_CHALLENGE_TTL_SECONDS) {
  return { httpOnly: true, sameSite: "strict" as const, secure: cookieNames(env).secure, path: "/", maxAge };
}

interface Jar {
  set(name: string, value: string, options: ReturnType<typeof mfaCookieOptions>): unknown;
}

export function writeMfaCookie(jar: Jar, env: Env, mfaToken: string): void {
  jar.set(mfaCookieName(env), mfaToken, mfaCookieOptions(env));
}

export function clearMfaCookie(jar: Jar, env: Env): void {
  jar.set(mfaCookieName(env), "", mfaCookieOptions(env, 0));
}
