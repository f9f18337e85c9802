"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { AccessClaims } from "@/core/access-tokens";
import { AuthError } from "@/core/errors";
import type { SessionEngine } from "@/core/session-engine";
import { formFields, toActionFailure } from "@/server/auth/action-result";
import { clearSessionCookies } from "@/server/auth/cookies";
import { requireSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";

export type DeviceActionState =
  { status: "idle" } | { status: "error"; message: string } | { status: "done"; message: string };

/** Runs one engine verb for the signed-in browser and reports its outcome to the devices page. */
async function onDevices(
  run: (engine: SessionEngine, claims: AccessClaims) => Promise<void>,
  done: "deviceLoggedOut" | "othersLoggedOut",
): Promise<DeviceActionState> {
  const session = await requireSession("/devices");
  try {
    await run((await getServices()).engine, session.claims);
  } catch (error) {
    return { status: "error", message: (await toActionFailure(error)).message };
  } finally {
    revalidatePath("/devices");
  }
  return { status: "done", message: (await getTranslations("devices.feedback"))(done) };
}

/** formData: sessionId. */
export async function logOutDeviceAction(_prev: unknown, formData: unknown): Promise<DeviceActionState> {
  return onDevices(async (engine, claims) => {
    const { sessionId } = formFields(formData, ["sessionId"]);
    if (!sessionId) {
      throw new AuthError("invalid_request", (await getTranslations("devices.feedback"))("chooseDevice"));
    }
    await engine.revokeSession(claims, sessionId);
  }, "deviceLoggedOut");
}

export async function logOutOthersAction(_prev: unknown, _formData: unknown): Promise<DeviceActionState> {
  return onDevices((engine, claims) => engine.logout(claims, "others"), "othersLoggedOut");
}

/** Signs this browser out too: redirects to /login?reason=everywhere on success. */
export async function logOutEverywhereAction(_prev: unknown, _formData: unknown): Promise<DeviceActionState> {
  const session = await requireSession("/devices");
  const { engine, env } = await getServices();
  try {
    await engine.logout(session.claims, "global");
  } catch (error) {
    return { status: "error", message: (await toActionFailure(error)).message };
  }
  clearSessionCookies(await cookies(), env);
  redirect("/login?reason=everywhere");
}
