"use server";

import { cookies } from "next/headers";
import { isAuthError } from "@/core/errors";
import { parseInput, verifyEmailSchema } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { cookieNames, writeSessionCookies } from "@/server/auth/cookies";
import { getCurrentSession } from "@/server/auth/current-session";
import type { Services } from "@/server/build-services";
import type { RequestContext } from "@/core/session-engine";
import { getServices } from "@/server/services";
import { deadLinkMessage } from "../dead-link-message";

export type VerifyEmailState =
  | { status: "idle" }
  | { status: "verified"; email: string; changed: boolean; signedIn: boolean }
  | { status: "error"; message: string; reason: "dead_link" | "email_taken" | "other" };

/**
 * Uses a verification or email-change link. A POST started by the page's script, so a mail
 * scanner that only fetches (GET) the link does not use it up. When this browser is signed in to
 * the account, its session cookies are renewed at once, so the new token says the address is
 * verified (and which it is): the banner goes away and the header shows the new address.
 */
export async function verifyEmailAction(_prev: unknown, formData: unknown): Promise<VerifyEmailState> {
  try {
    const services = await getServices();
    const context = await actionClientContext();
    const input = parseInput(verifyEmailSchema, formFields(formData, ["token"]));
    const result = await services.engine.verifyEmail(input.token, context);
    const signedIn = await renewSessionOf(result.userId, services, context);
    return { status: "verified", email: result.email, changed: result.changed, signedIn };
  } catch (error) {
    if (isAuthError(error) && (error.code === "invalid_grant" || error.details.fields?.token)) {
      return { status: "error", message: await deadLinkMessage(), reason: "dead_link" };
    }
    const failure = await toActionFailure(error);
    const reason = isAuthError(error) && error.code === "email_taken" ? "email_taken" : "other";
    return { status: "error", message: failure.message, reason };
  }
}

/**
 * Rotates this browser's refresh cookie (like the proxy's renewal) when it is signed in to `userId`
 * (or its access token has lapsed and cannot tell): the new pair carries the account as it is now.
 * Never signs anyone out: a refresh that is refused leaves the cookies as they are.
 */
async function renewSessionOf(userId: string, services: Services, context: RequestContext): Promise<boolean> {
  const jar = await cookies();
  const refresh = jar.get(cookieNames(services.env).refresh)?.value;
  if (!refresh) return false;
  const current = await getCurrentSession();
  if (current && current.claims.sub !== userId) return false;
  try {
    const pair = await services.engine.refresh(refresh, context);
    // Written whoever it turns out to be: the rotated token is the only one that works from now on.
    writeSessionCookies(jar, services.env, pair);
    return (await services.engine.authenticate(pair.accessToken)).sub === userId;
  } catch (error) {
    if (isAuthError(error)) return false;
    throw error;
  }
}
