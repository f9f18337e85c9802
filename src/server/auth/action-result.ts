import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { errorMessage, isAuthError } from "@/core/errors";
import { parseInput } from "@/core/validation";
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
 * per-field errors for known errors; a generic sentence (and a log line) for anything else. Never
 * a stack trace, never the submitted password.
 */
export async function toActionFailure(error: unknown): Promise<ActionFailure> {
  if (isAuthError(error)) {
    const fields = error.details.fields ?? {};
    const perField = Object.keys(fields).some((name) => name !== FORM);
    const message =
      error.code === "invalid_request" && perField ? "Please correct the highlighted fields." : error.message;
    return { message, fields };
  }
  const { logger } = await getServices();
  logger.error("server_action_failed", { error: errorMessage(error) });
  return { message: "Something went wrong on our side. Please try again.", fields: {} };
}

/** The key of an error about the form as a whole (zod's path of the root value), not one of its fields. */
const FORM = "_";

/** What a server action receives as its form: posted bodies decide it, so it is checked, never assumed. */
const formDataSchema = z.instanceof(FormData, {
  error: "This form could not be read. Reload the page and try again.",
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
