import { createTranslator } from "next-intl";
import { messagesFor } from "@/i18n/catalogues";
import { localizeDeviceLabel } from "@/i18n/device-label";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/i18n/locales";

/**
 * What the security and account emails share: the recipient's language, and how a time, a
 * duration and the greeting are written in it (messages/<locale>/mail.json).
 */

/** The language of a mail: the recipient's, when it is one of ours; else English. */
export function mailLocale(locale: string | null | undefined): Locale {
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

export type MailTranslator = (key: string, values?: Record<string, string | number>) => string;

/** The `mail` namespace of a language's catalogue. */
export function mailTranslator(locale: Locale): MailTranslator {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "mail" });
  return (key, values) => t(key as never, values as never);
}

/** A device label ("Firefox on Linux") in the recipient's language ("Firefox（Linux）"). */
export function mailDeviceLabel(label: string, locale: Locale): string {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "common.deviceLabel" });
  return localizeDeviceLabel(label, (key, values) => t(key, values));
}

const whenFormats = new Map<Locale, Intl.DateTimeFormat>();

/**
 * "Dec 6, 2026, 8:38 PM UTC" (or the recipient language's way of writing it), with plain spaces
 * (Intl puts a narrow no-break space before "PM"). Always in UTC, with the zone written out: the
 * server does not know where the recipient is.
 */
export function formatWhen(at: Date, locale: Locale = DEFAULT_LOCALE): string {
  let format = whenFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: "UTC",
      timeZoneName: "short",
    });
    whenFormats.set(locale, format);
  }
  return format.format(at).replace(/\s/g, " ");
}

/** "30 minutes", "24 hours", "1 hour": the span from `fromMs` to `until`, rounded to the minute. */
export function formatDuration(until: Date, fromMs: number, t: MailTranslator): string {
  const minutes = Math.max(1, Math.round((until.getTime() - fromMs) / 60_000));
  const hours = minutes >= 120 && minutes % 60 === 0 ? minutes / 60 : minutes === 60 ? 1 : null;
  return hours === null
    ? t("duration.minutes", { count: minutes, n: String(minutes) })
    : t("duration.hours", { count: hours, n: String(hours) });
}

/** "Hello Ada," when the account has a name, else "Hello,". */
export function greeting(name: string | null, t: MailTranslator): string {
  const trimmed = name?.trim();
  return trimmed ? t("greeting.named", { name: trimmed }) : t("greeting.anonymous");
}

/** APP_URL without a trailing slash, so that paths can be appended. */
export function baseUrl(appUrl: string): string {
  return appUrl.replace(/\/+$/, "");
}
