import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { AccessClaims } from "@/core/access-tokens";
import type { PublicUser } from "@/core/session-views";
import { getServices } from "../services";
import { checkBrowserToken, type SignedOutReason } from "./browser-session";
import { cookieNames } from "./cookies";

export type { SignedOutReason } from "./browser-session";

/** The signed-in browser session of this request, after the revocation check. */
export interface CurrentSession {
  claims: AccessClaims;
  user: PublicUser;
}

type Lookup = { session: CurrentSession } | { session: null; reason: SignedOutReason | null };

/**
 * Read once per request (React `cache`): the session cookie, verified and checked for revocation.
 * The proxy has already renewed an expired token, so an invalid one here means signed out.
 */
const lookup = cache(async (): Promise<Lookup> => {
  const services = await getServices();
  const token = (await cookies()).get(cookieNames(services.env).session)?.value;
  if (!token) return { session: null, reason: null };
  const check = await checkBrowserToken(services.engine, token);
  if (check.kind === "signed_out") return { session: null, reason: check.reason };
  return { session: { claims: check.claims, user: services.engine.getUser(check.claims) } };
});

export async function getCurrentSession(): Promise<CurrentSession | null> {
  return (await lookup()).session;
}

/** The session, or a redirect to /login with the reason (never returns without one). */
export async function requireSession(callbackUrl?: string): Promise<CurrentSession> {
  const result = await lookup();
  if (result.session) return result.session;
  const params = new URLSearchParams();
  if (result.reason) params.set("reason", result.reason);
  if (callbackUrl) params.set("callbackUrl", callbackUrl);
  const query = params.toString();
  redirect(query ? `/login?${query}` : "/login");
}
