"use server";

import { redirect } from "next/navigation";
import { isAuthError } from "@/core/errors";
import { parseInput, passwordResetSchema } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { getServices } from "@/server/services";
import { deadLinkMessage } from "../dead-link-message";

export type ResetPasswordState =
  | { status: "idle" }
  | {
      status: "error";
      message: string;
      fields: { newPassword?: string[] };
      /** The link cannot be used (unknown, used, expired, superseded): only a new one helps. */
      deadLink: boolean;
    };

/**
 * Uses the reset link's token (posted in the form's body, never in an address): sets the new
 * password, which signs every device out, then sends this browser to /login with the notice.
 */
export async function resetPasswordAction(_prev: unknown, formData: unknown): Promise<ResetPasswordState> {
  try {
    const { engine } = await getServices();
    const input = parseInput(passwordResetSchema, formFields(formData, ["token", "newPassword"]));
    await engine.resetPassword(input, await actionClientContext());
  } catch (error) {
    const deadLink = isAuthError(error) && (error.code === "invalid_grant" || !!error.details.fields?.token);
    const failure = await toActionFailure(error);
    return {
      status: "error",
      message: deadLink ? await deadLinkMessage() : failure.message,
      fields: { newPassword: failure.fields.newPassword },
      deadLink,
    };
  }
  redirect("/login?reason=password_reset");
}
