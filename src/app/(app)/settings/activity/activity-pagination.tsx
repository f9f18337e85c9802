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
  if (!newerCursor && !olderCursor) return null;
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-3">
      {newerCursor ? (
        <Link href={pageHref(newerCursor)} rel="prev" className={buttonClasses("secondary")}>
          <span aria-hidden="true">←</span> Newer
        </Link>
      ) : (
        <span />
      )}
      {olderCursor ? (
        <Link href={pageHref(olderCursor)} rel="next" className={buttonClasses("secondary")}>
          Older <span aria-hidden="true">→</span>
        </Link>
      ) : null}
    </nav>
  );
}
