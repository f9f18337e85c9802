import { getLocale, getTranslations } from "next-intl/server";
import { LOCALE_NAMES, LOCALES } from "@/i18n/locales";

/**
 * "English" / "简体中文": one button per language, the current one pressed. A plain form, so it works
 * before the page's JavaScript has loaded, and from the keyboard like any button. `action` is the
 * server action that remembers the choice (src/app/language-actions.ts), given by the layout.
 */
export async function LanguageSwitcher({
  action,
  className = "",
}: {
  action: (formData: FormData) => Promise<void>;
  className?: string;
}) {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("common.language")]);
  return (
    <form action={action} className={className}>
      <div role="group" aria-label={t("label")} className="flex items-center gap-1 text-sm">
        {LOCALES.map((option) => (
          <button
            key={option}
            type="submit"
            name="locale"
            value={option}
            lang={option}
            aria-pressed={option === locale}
            className={
              "rounded-md px-2 py-1 font-medium transition-colors " +
              (option === locale ? "bg-subtle text-fg" : "text-muted hover:bg-subtle hover:text-fg")
            }
          >
            {LOCALE_NAMES[option]}
          </button>
        ))}
      </div>
    </form>
  );
}
