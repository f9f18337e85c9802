import "server-only";
import { getTranslations } from "next-intl/server";
import { localizeEngineText } from "./engine-text";
import type { Locale } from "./locales";

/**
 * On the server (pages, server actions, route handlers): the request's language, or `locale`
 * when given (an API request's Accept-Language, a mail's recipient).
 */
export async function getEngineText(locale?: Locale): Promise<(message: string) => string> {
  const t = locale ? await getTranslations({ locale, namespace: "errors" }) : await getTranslations("errors");
  return (message: string) => localizeEngineText(message, (id, values) => t(id as never, values as never));
}
