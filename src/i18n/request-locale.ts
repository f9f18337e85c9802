import "server-only";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, resolveLocale, type Locale } from "./locales";

/**
 * The language of the request being rendered (page, layout or server action). Read through
 * cookies(), not the Cookie header: a server action that just set the cookie (the switcher)
 * renders its page in the new language. API routes use localeOfHeaders (src/server/http).
 */
export async function requestLocale(): Promise<Locale> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return resolveLocale({
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
}
