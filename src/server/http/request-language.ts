import { LOCALE_COOKIE, resolveLocale, type Locale } from "@/i18n/locales";

/**
 * The language a request is answered in: the switcher's cookie (a browser calling the API for its
 * page), else `Accept-Language`, else English. Read from the headers alone, so the route wrapper,
 * the proxy and the request context of every verb share it.
 */
export function localeOfHeaders(headers: Headers): Locale {
  const cookie = headers
    .get("cookie")
    ?.split(";")
    .map((pair) => pair.trim())
    .find((pair) => pair.startsWith(`${LOCALE_COOKIE}=`))
    ?.slice(LOCALE_COOKIE.length + 1);
  return resolveLocale({ cookie, acceptLanguage: headers.get("accept-language") });
}
