import "server-only";
import { errorMessage, isAuthError } from "@/core/errors";
import type { Services } from "../../build-services";

/**
 * next-auth hands a provider's thrown message to the sign-in form: make it one a person can read.
 * An engine error's message is written for people; anything else is logged and told as "try again".
 */
export function browserSignInError(error: unknown, services: Pick<Services, "logger">): Error {
  if (isAuthError(error) && error.code !== "temporarily_unavailable") return new Error(error.message);
  services.logger.error("browser_sign_in_failed", { error: errorMessage(error) });
  return new Error("Signing in is not possible right now. Please try again in a moment.");
}
