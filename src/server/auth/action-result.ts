import "server-only";
import { headers } from "next/headers";
import { errorMessage, isAuthError } from "@/core/errors";
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
    const message = error.code === "invalid_request" ? "Please correct the highlighted fields." : error.message;
    return { message, fields: error.details.fields ?? {} };
  }
  const { logger } = await getServices();
  logger.error("server_action_failed", { error: errorMessage(error) });
  return { message: "Something went wrong on our side. Please try again.", fields: {} };
}

/** Reads text fields of a form without trusting their type (a File or a missing field becomes ""). */
export function textFields<K extends string>(formData: FormData, keys: readonly K[]): Record<K, string> {
  const result = {} as Record<K, string>;
  for (const key of keys) {
    const value = formData.get(key);
    result[key] = typeof value === "string" ? value : "";
  }
  return result;
}
