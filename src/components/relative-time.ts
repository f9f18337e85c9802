import { useFormatter, useTranslations, type createFormatter } from "next-intl";
import { getFormatter, getTranslations } from "next-intl/server";

/**
 * Times in the reader's language, for server components only: the output depends on "now" (and on
 * the request's time zone, written out), so rendering it on the client as well would cause
 * hydration mismatches.
 */
export interface TimeFormat {
  /** "just now" under a minute (and for moments in the future: clock skew), else "5 minutes ago" / "5 分钟前". */
  relative(value: Date | string, now: Date): string;
  /** "Jan 5, 2026, 3:04 PM UTC" / "2026年1月5日 UTC 15:04": an absolute moment, never ambiguous. */
  dateTime(value: Date | string): string;
}

/** What the formatter cannot say itself, from the `shell.time` messages. */
export interface TimeWords {
  justNow: string;
  unknownTime: string;
  unknownDate: string;
}

type Formatter = ReturnType<typeof createFormatter>;

/**
 * Chinese text puts a space between Han characters and digits ("5 分钟前"); ICU writes "5分钟前".
 * Only relative times get it: dates keep ICU's usual "2026年1月5日".
 */
function spaceDigits(text: string): string {
  return text.replace(/(\d)(\p{Script=Han})/gu, "$1 $2").replace(/(\p{Script=Han})(\d)/gu, "$1 $2");
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function timeFormat(format: Formatter, words: TimeWords): TimeFormat {
  return {
    relative(value, now) {
      const date = toDate(value);
      const seconds = (now.getTime() - date.getTime()) / 1000;
      if (Number.isNaN(seconds)) return words.unknownTime;
      return seconds < 60 ? words.justNow : spaceDigits(format.relativeTime(date, now));
    },
    dateTime(value) {
      const date = toDate(value);
      if (Number.isNaN(date.getTime())) return words.unknownDate;
      return format.dateTime(date, {
        year: "numeric",
        month: "short",
        day: "numeric",
        hour: "numeric",
        minute: "2-digit",
        timeZoneName: "short",
      });
    },
  };
}

function wordsOf(t: (key: keyof TimeWords) => string): TimeWords {
  return { justNow: t("justNow"), unknownTime: t("unknownTime"), unknownDate: t("unknownDate") };
}

/** In an async server component or a server action. */
export async function getTimeFormat(): Promise<TimeFormat> {
  const [format, t] = await Promise.all([getFormatter(), getTranslations("shell.time")]);
  return timeFormat(format, wordsOf(t));
}

/** In a (non-async) server component. */
export function useTimeFormat(): TimeFormat {
  const format = useFormatter();
  const t = useTranslations("shell.time");
  return timeFormat(format, wordsOf(t));
}
