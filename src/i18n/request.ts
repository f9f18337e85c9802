import { getRequestConfig } from "next-intl/server";
import { messagesFor } from "./catalogues";
import { isLocale } from "./locales";
import { requestLocale } from "./request-locale";

/**
 * next-intl's configuration for each request: no locale in the URL; the language comes from the
 * switcher's cookie, else from Accept-Language (see locales.ts). Times are shown in UTC, with the
 * zone written out, as the server cannot know the reader's zone when it renders.
 */
export default getRequestConfig(async ({ locale: explicit }) => {
  const locale = isLocale(explicit) ? explicit : await requestLocale();
  return { locale, messages: messagesFor(locale), timeZone: TIME_ZONE };
});

export const TIME_ZONE = "UTC";
