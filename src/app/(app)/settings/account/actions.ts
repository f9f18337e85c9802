"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { emailSchema, existingPasswordSchema, parseInput } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { clearSessionCookies } from "@/server/auth/cookies";
import { requireSession, type CurrentSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";

/**
 * These pages always ask for the password (the API may do without it after a recent sign-in), but
 * of an account that has none (made through an identity provider): there a recent sign-in decides.
 */
const changeEmailForm = z.object({ newEmail: emailSchema, password: existingPasswordSchema });
const deleteAccountForm = z.object({ password: existingPasswordSchema });
const withoutPassword = { password: z.undefined().catch(undefined) };

async function passwordless(session: CurrentSession): Promise<boolean> {
  const { engine } = await getServices();
  return !(await engine.hasPassword(session.claims));
}

export type ChangeEmailState =
  | { status: "idle" }
  | {
      status: "error";
      message: string;
      fields: { newEmail?: string[]; password?: string[] };
      newEmail: string;
    }
  | { status: "success"; newEmail: string; currentEmail: string };

/** Mails a confirmation link to the new address (and a notice to the current one); nothing changes until it is used. */
export async function changeEmailAction(_prev: unknown, formData: unknown): Promise<ChangeEmailState> {
  const session = await requireSession("/settings/account");
  let newEmail = "";
  try {
    const fields = formFields(formData, ["newEmail", "password"]);
    newEmail = fields.newEmail;
    const input = parseInput(
      (await passwordless(session)) ? changeEmailForm.extend(withoutPassword) : changeEmailForm,
      fields,
    );
    const { engine } = await getServices();
    await engine.changeEmail(session.claims, input, await actionClientContext());
    return { status: "success", newEmail: input.newEmail, currentEmail: session.user.email };
  } catch (error) {
    const failure = await toActionFailure(error);
    return { status: "error", message: failure.message, fields: failure.fields, newEmail };
  }
}

export type DeleteAccountState =
  { status: "idle" } | { status: "error"; message: string; fields: { password?: string[] } };

/**
 * Deletes the account after checking the password: every device is signed out (open browsers are
 * pushed to /login), this browser's cookies are cleared, and it lands on /login with the notice.
 */
export async function deleteAccountAction(_prev: unknown, formData: unknown): Promise<DeleteAccountState> {
  const session = await requireSession("/settings/account");
  const { engine, env } = await getServices();
  try {
    const schema = (await passwordless(session)) ? deleteAccountForm.extend(withoutPassword) : deleteAccountForm;
    const input = parseInput(schema, formFields(formData, ["password"]));
    await engine.deleteAccount(session.claims, input, await actionClientContext());
  } catch (error) {
    const failure = await toActionFailure(error);
    return { status: "error", message: failure.message, fields: failure.fields };
  }
  clearSessionCookies(await cookies(), env);
  redirect("/login?reason=account_deleted");
}
