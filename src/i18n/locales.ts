/**
 * The languages the app speaks, and how a request's language is chosen. Framework-free: the page
 * config (request.ts), the API's error descriptions and the mail all decide with these functions.
 */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en";

/** The cookie that remembers a choice made with the language switcher (next-intl's usual name). */
export const LOCALE_COOKIE = "NEXT_LOCALE";

/** Each language named in itself, as the switcher shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of our languages for an `Accept-Language` header (RFC 9110 §12.5.4): ranges in order of
 * their q-value (ties keep the header's order), the first that one of ours answers wins. Any
 * Chinese range (zh, zh-CN, zh-Hans, zh-TW...) gets Simplified Chinese, the only Chinese we have;
 * `*` or nothing we speak gets English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranges = acceptLanguage
    .split(",")
    .slice(0, 32)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((range) => range.tag && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.split("-")[0];
    if (primary === "zh") return "zh-CN";
    if (primary === "en" || tag === "*") return "en";
  }
  return DEFAULT_LOCALE;
}

/** A request's language: the remembered choice when it is one of ours, else the browser's preference. */
export function resolveLocale(input: { cookie?: string | null; acceptLanguage?: string | null }): Locale {
  return isLocale(input.cookie) ? input.cookie : negotiateLocale(input.acceptLanguage);
}
