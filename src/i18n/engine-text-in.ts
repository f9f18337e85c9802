import { createTranslator } from "next-intl";
import { messagesFor } from "./catalogues";
import { localizeEngineText, localizeFieldErrors } from "./engine-text";
import type { Locale } from "./locales";

/**
 * Engine messages in a language chosen by the caller, outside a page's rendering: the API's error
 * bodies (the request's Accept-Language) and the proxy. Framework-free, so the modules that use it
 * stay loadable by the tools and tests.
 */
export function engineTextIn(locale: Locale): {
  text(message: string): string;
  fields(fields: Record<string, string[]>): Record<string, string[]>;
} {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "errors" });
  const translate = (id: string, values: Record<string, string>) => t(id as never, values as never);
  return {
    text: (message) => localizeEngineText(message, translate),
    fields: (fields) => localizeFieldErrors(fields, translate) as Record<string, string[]>,
  };
}
