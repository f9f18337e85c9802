import "server-only";
import { errorMessage, isAuthError } from "@/core/errors";
import { engineText } from "@/core/messages";
import { engineTextIn } from "@/i18n/engine-text-in";
import type { Locale } from "@/i18n/locales";
import type { Services } from "../../build-services";

/**
 * next-auth hands a provider's thrown message to the sign-in form: make it one a person can read,
 * in the language of the request (`locale`). An engine error's message is written for people;
 * anything else is logged and told as "try again".
 */
export function browserSignInError(error: unknown, services: Pick<Services, "logger">, locale: Locale): Error {
  const inLanguage = engineTextIn(locale).text;
  if (isAuthError(error) && error.code !== "temporarily_unavailable") return new Error(inLanguage(error.message));
  services.logger.error("browser_sign_in_failed", { error: errorMessage(error) });
  return new Error(inLanguage(engineText("form.signInUnavailable")));
}
