"use server";

import { cookies } from "next/headers";
import { changePasswordSchema, parseInput } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { writeSessionCookies } from "@/server/auth/cookies";
import { requireSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";

export type PasswordField = "currentPassword" | "newPassword";
export type ChangePasswordState =
  | { status: "idle" }
  | { status: "error"; message: string; fields: Partial<Record<PasswordField, string[]>> }
  | { status: "success" };

/**
 * Every other device and every earlier token is signed out; this browser gets a fresh token pair
 * in its cookies and stays signed in.
 */
export async function changePasswordAction(_prev: unknown, formData: unknown): Promise<ChangePasswordState> {
  const session = await requireSession("/settings/password");
  const { engine, env } = await getServices();
  try {
    const input = parseInput(changePasswordSchema, formFields(formData, ["currentPassword", "newPassword"]));
    const pair = await engine.changePassword(session.claims, input, await actionClientContext());
    writeSessionCookies(await cookies(), env, pair);
  } catch (error) {
    const failure = await toActionFailure(error);
    return { status: "error", message: failure.message, fields: failure.fields };
  }
  return { status: "success" };
}
