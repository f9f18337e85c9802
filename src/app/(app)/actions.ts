"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { clearSessionCookies } from "@/server/auth/cookies";
import { getCurrentSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";

/** The header's "Sign out": revokes this device's session, clears the cookies, redirects to /login?reason=logout. */
export async function signOutAction(): Promise<void> {
  const { engine, env } = await getServices();
  const session = await getCurrentSession();
  if (session) await engine.logout(session.claims, "local");
  clearSessionCookies(await cookies(), env);
  redirect("/login?reason=logout");
}
