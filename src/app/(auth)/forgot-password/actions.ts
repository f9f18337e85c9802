"use server";

import { parseInput, passwordResetRequestSchema } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { getServices } from "@/server/services";

export type ForgotPasswordState =
  | { status: "idle" }
  | { status: "error"; message: string; fields: { email?: string[] }; email: string }
  | { status: "success"; email: string; validMinutes: number };

/**
 * Mails a reset link when an account uses this address. The answer is the same whether or not one
 * does (the engine answers in the same time either way); only a rate limit or a malformed address
 * is told apart.
 */
export async function requestPasswordResetAction(_prev: unknown, formData: unknown): Promise<ForgotPasswordState> {
  let email = "";
  try {
    const fields = formFields(formData, ["email"]);
    email = fields.email;
    const { engine, config } = await getServices();
    const input = parseInput(passwordResetRequestSchema, fields);
    await engine.requestPasswordReset(input, await actionClientContext());
    return { status: "success", email: input.email, validMinutes: Math.round(config.passwordResetTtlSeconds / 60) };
  } catch (error) {
    const failure = await toActionFailure(error);
    return { status: "error", message: failure.message, fields: failure.fields, email };
  }
}
