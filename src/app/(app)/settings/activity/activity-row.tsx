import { formatDateTime, formatRelativeTime } from "@/components/relative-time";
import type { ActivityItem } from "@/core/activity";

/** One security event: what happened, on which device, who did it, and when. Server-rendered. */
export function ActivityRow({ item, now }: { item: ActivityItem; now: Date }) {
  const where = [
    item.device ? `${item.device}${item.thisDevice ? " (this device)" : ""}` : null,
    item.ip ? `IP\u00a0${item.ip}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <li className="flex flex-col gap-1 p-4 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 font-medium break-words text-fg">
          {item.title}
          {item.newDevice ? (
            <span className="rounded-full bg-warn-soft px-2 py-0.5 text-xs font-medium text-warn ring-1 ring-warn-line ring-inset">
              New device
            </span>
          ) : null}
        </p>
        {where ? <p className="mt-0.5 text-sm break-words text-muted">{where}</p> : null}
        {item.actor ? <p className="mt-0.5 text-sm text-muted">By {item.actor}</p> : null}
        {item.mailUnverified ? (
          <p className="mt-0.5 text-sm text-warn">Emailed to your address before it was verified</p>
        ) : null}
      </div>
      <p className="shrink-0 text-sm text-muted">
        <time dateTime={item.occurredAt} title={formatDateTime(item.occurredAt)}>
          {formatRelativeTime(item.occurredAt, now)}
        </time>
      </p>
    </li>
  );
}
