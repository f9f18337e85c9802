"use server";

import { cookies } from "next/headers";
import { errorMessage } from "@/core/errors";
import { isLocale, LOCALE_COOKIE } from "@/i18n/locales";
import { getCurrentSession } from "@/server/auth/current-session";
import { cookieOptions } from "@/server/auth/cookies";
import { getServices } from "@/server/services";

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The header's language switcher: remembers the choice in a cookie for a year (not a secret: it
 * only picks the language; HttpOnly all the same, as no script needs it), and, for a signed-in
 * person, on the account, so that the mail they get next is in that language too. Anything but
 * one of our languages is ignored; the page then renders again in the language chosen.
 */
export async function chooseLanguageAction(formData: FormData): Promise<void> {
  const locale = formData instanceof FormData ? formData.get("locale") : null;
  if (!isLocale(locale)) return;
  const { env, languages, logger } = await getServices();
  (await cookies()).set(LOCALE_COOKIE, locale, { ...cookieOptions(env), maxAge: ONE_YEAR_SECONDS });
  const current = await getCurrentSession();
  if (!current) return;
  try {
    await languages.remember(current.claims.sub, locale);
  } catch (error) {
    // The page still changes language; only the mail keeps the earlier one.
    logger.warn("language_not_remembered", { userId: current.claims.sub, error: errorMessage(error) });
  }
}
