"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ResendVerificationState } from "@/components/unverified-email-banner";
import { toActionFailure } from "@/server/auth/action-result";
import { clearSessionCookies } from "@/server/auth/cookies";
import { getCurrentSession, requireSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";

/** The header's "Sign out": revokes this device's session, clears the cookies, redirects to /login?reason=logout. */
export async function signOutAction(): Promise<void> {
  const { engine, env } = await getServices();
  const session = await getCurrentSession();
  if (session) await engine.logout(session.claims, "local");
  clearSessionCookies(await cookies(), env);
  redirect("/login?reason=logout");
}

/** The unverified-address banner's "Resend verification email" (limited per account). */
export async function resendVerificationAction(): Promise<ResendVerificationState> {
  const session = await requireSession();
  try {
    await (await getServices()).engine.sendVerificationEmail(session.claims);
  } catch (error) {
    return { status: "error", message: (await toActionFailure(error)).message };
  }
  const t = await getTranslations("shell.verifyBanner");
  return { status: "sent", message: t("sent", { email: session.user.email }) };
}
