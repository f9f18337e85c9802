import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { errorMessage, isAuthError } from "@/core/errors";
import { engineText } from "@/core/messages";
import { parseInput } from "@/core/validation";
import { getEngineText } from "@/i18n/server-engine-text";
import type { RequestContext } from "@/core/session-engine";
import { clientContext } from "../http/client-info";
import { getServices } from "../services";

/** The IP and User-Agent of the request running a server action. */
export async function actionClientContext(): Promise<RequestContext> {
  const { env } = await getServices();
  return clientContext(await headers(), env.TRUST_PROXY_HOPS);
}

export interface ActionFailure {
  message: string;
  fields: Record<string, string[]>;
}

/**
 * Turns what a server action caught into what its form shows: the engine's readable message and
 * per-field errors for known errors; a generic sentence (and a log line) for anything else; all in
 * the request's language. Never a stack trace, never the submitted password.
 */
export async function toActionFailure(error: unknown): Promise<ActionFailure> {
  const inLanguage = await getEngineText();
  if (isAuthError(error)) {
    const fields = error.details.fields ?? {};
    const perField = Object.keys(fields).some((name) => name !== FORM);
    const message = error.code === "invalid_request" && perField ? engineText("form.correctFields") : error.message;
    return {
      message: inLanguage(message),
      fields: Object.fromEntries(Object.entries(fields).map(([name, messages]) => [name, messages.map(inLanguage)])),
    };
  }
  const { logger } = await getServices();
  logger.error("server_action_failed", { error: errorMessage(error) });
  return { message: inLanguage(engineText("form.failed")), fields: {} };
}

/** The key of an error about the form as a whole (zod's path of the root value), not one of its fields. */
const FORM = "_";

/** What a server action receives as its form: posted bodies decide it, so it is checked, never assumed. */
const formDataSchema = z.instanceof(FormData, {
  error: engineText("form.unreadable"),
});

/**
 * Reads a server action's form from whatever was posted: its text fields (a File or a missing field
 * becomes ""). Throws `invalid_request` with a readable message when the argument is not a form
 * at all (a hand-made or malformed action call), which `toActionFailure` turns into the form's message.
 */
export function formFields<K extends string>(formData: unknown, keys: readonly K[]): Record<K, string> {
  const form = parseInput(formDataSchema, formData);
  const result = {} as Record<K, string>;
  for (const key of keys) {
    const value = form.get(key);
    result[key] = typeof value === "string" ? value : "";
  }
  return result;
}
