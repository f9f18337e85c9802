"use server";

import { cookies } from "next/headers";
import { isLocale, LOCALE_COOKIE } from "@/i18n/locales";
import { cookieOptions } from "@/server/auth/cookies";
import { getServices } from "@/server/services";

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The header's language switcher: remembers the choice in a cookie for a year (not a secret: it
 * only picks the language; HttpOnly all the same, as no script needs it). Anything but one of our
 * languages is ignored; the page then renders again in the language chosen.
 */
export async function chooseLanguageAction(formData: FormData): Promise<void> {
  const locale = formData instanceof FormData ? formData.get("locale") : null;
  if (!isLocale(locale)) return;
  const { env } = await getServices();
  (await cookies()).set(LOCALE_COOKIE, locale, { ...cookieOptions(env), maxAge: ONE_YEAR_SECONDS });
}
