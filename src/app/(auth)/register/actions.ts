"use server";

import { parseInput, registerSchema } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { getServices } from "@/server/services";

export type RegisterField = "email" | "password" | "name";
export type RegisterState =
  | { status: "idle" }
  | {
      status: "error";
      message: string;
      fields: Partial<Record<RegisterField, string[]>>;
      values: { email: string; name: string };
    }
  | { status: "success"; email: string };

/** Creates the account (validated with the shared zod schema). Signing in is the form's next step (next-auth). */
export async function registerAction(_prev: unknown, formData: unknown): Promise<RegisterState> {
  let values = { email: "", name: "" };
  try {
    const fields = formFields(formData, ["email", "password", "name"]);
    values = { email: fields.email, name: fields.name };
    const user = await (
      await getServices()
    ).engine.register(parseInput(registerSchema, fields), await actionClientContext());
    return { status: "success", email: user.email };
  } catch (error) {
    const failure = await toActionFailure(error);
    // The password is never sent back.
    return {
      status: "error",
      message: failure.message,
      fields: failure.fields,
      values,
    };
  }
}
