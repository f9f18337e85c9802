import { useTranslations } from "next-intl";
import Link from "next/link";
import { buttonClasses } from "@/components/button-styles";

function pageHref(cursor: string): string {
  return `/settings/activity?cursor=${encodeURIComponent(cursor)}`;
}

/** "Newer" / "Older" links: plain links (keyboard, middle-click, history), keyset cursors in the URL. */
export function ActivityPagination({
  newerCursor,
  olderCursor,
}: {
  newerCursor: string | null;
  olderCursor: string | null;
}) {
  const t = useTranslations("activity.pagination");
  if (!newerCursor && !olderCursor) return null;
  return (
    <nav aria-label={t("label")} className="mt-4 flex items-center justify-between gap-3">
      {newerCursor ? (
        <Link href={pageHref(newerCursor)} rel="prev" className={buttonClasses("secondary")}>
          <span aria-hidden="true">←</span> {t("newer")}
        </Link>
      ) : (
        <span />
      )}
      {olderCursor ? (
        <Link href={pageHref(olderCursor)} rel="next" className={buttonClasses("secondary")}>
          {t("older")} <span aria-hidden="true">→</span>
        </Link>
      ) : null}
    </nav>
  );
}
