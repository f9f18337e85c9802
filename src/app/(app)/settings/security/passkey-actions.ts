"use server";

import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { AuthError, isAuthError } from "@/core/errors";
import { parseInput } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { requireSession } from "@/server/auth/current-session";
import { addPasskeySchema, passkeyIdSchema, passkeyReauthSchema } from "@/server/http/passkey-schemas";
import { getServices } from "@/server/services";

const PAGE = "/settings/security";

/** A refused step: the message, per-field errors, and whether the password must be asked for. */
export interface PasskeyActionFailure {
  status: "error";
  message: string;
  fields: { name?: string[]; password?: string[] };
  needsPassword: boolean;
}

async function failed(error: unknown): Promise<PasskeyActionFailure> {
  const failure = await toActionFailure(error);
  const needsPassword =
    isAuthError(error) &&
    (error.code === "insufficient_user_authentication" || error.details.fields?.password !== undefined);
  return { status: "error", message: failure.message, fields: failure.fields, needsPassword };
}

/** The password field as sent: empty means "not asked" (a recent sign-in may do). */
function reauth(password: string) {
  return parseInput(passkeyReauthSchema, { password: password === "" ? undefined : password });
}

export type PasskeyOptionsResult =
  { status: "ok"; options: PublicKeyCredentialCreationOptionsJSON } | PasskeyActionFailure;

/** The first step of "Add a passkey": creation options for the browser (re-authentication applies). */
export async function passkeyOptionsAction(_prev: unknown, formData: unknown): Promise<PasskeyOptionsResult> {
  const session = await requireSession(PAGE);
  try {
    const { password } = formFields(formData, ["password"]);
    const { engine } = await getServices();
    const options = await engine.passkeyRegistrationOptions(
      session.claims,
      reauth(password),
      await actionClientContext(),
    );
    return { status: "ok", options };
  } catch (error) {
    return failed(error);
  }
}

export type AddPasskeyResult = { status: "ok"; name: string } | PasskeyActionFailure;

/** The second step: the browser's answer (JSON text in `response`) stored under `name`. */
export async function addPasskeyAction(_prev: unknown, formData: unknown): Promise<AddPasskeyResult> {
  const session = await requireSession(PAGE);
  try {
    const fields = formFields(formData, ["name", "response"]);
    let response: unknown;
    try {
      response = JSON.parse(fields.response);
    } catch {
      throw new AuthError("invalid_request", (await getTranslations("security.passkeys"))("unreadable"));
    }
    const input = parseInput(addPasskeySchema, { name: fields.name, response });
    const { engine } = await getServices();
    const passkey = await engine.addPasskey(session.claims, input, await actionClientContext());
    revalidatePath(PAGE);
    return { status: "ok", name: passkey.name };
  } catch (error) {
    return failed(error);
  }
}

export type RemovePasskeyState = { status: "idle" } | { status: "ok" } | PasskeyActionFailure;

/** Removes one of the caller's passkeys (re-authentication applies; the last way in stays). */
export async function removePasskeyAction(_prev: unknown, formData: unknown): Promise<RemovePasskeyState> {
  const session = await requireSession(PAGE);
  try {
    const { id, password } = formFields(formData, ["id", "password"]);
    const input = reauth(password);
    if (!passkeyIdSchema.safeParse(id).success) {
      throw new AuthError("not_found", (await getTranslations("security.passkeys"))("noSuchPasskey"));
    }
    const { engine } = await getServices();
    await engine.removePasskey(session.claims, id, input, await actionClientContext());
    revalidatePath(PAGE);
    return { status: "ok" };
  } catch (error) {
    return failed(error);
  }
}
