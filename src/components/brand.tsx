import { useTranslations } from "next-intl";

/** The product mark: a key inside a circle. Decorative; the name next to it carries the meaning. */
export function Brand({ className = "" }: { className?: string }) {
  const t = useTranslations("common");
  return (
    <span className={`inline-flex items-center gap-2 font-semibold text-fg ${className}`.trim()}>
      <svg
        viewBox="0 0 24 24"
        className="size-6 text-brand"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.75}
        aria-hidden="true"
      >
        <circle cx="12" cy="12" r="9.5" />
        <circle cx="9.5" cy="12" r="2.5" />
        <path d="M12 12h5.5M15.5 12v2" strokeLinecap="round" />
      </svg>
      {t("appName")}
    </span>
  );
}
