import { useTranslations } from "next-intl";
import { useTimeFormat } from "@/components/relative-time";
import type { ActivityItem } from "@/core/activity";
import { useDeviceLabel } from "@/i18n/use-device-label";
import { activityActor, activityTitle } from "./activity-text";

/** One security event: what happened, on which device, who did it, and when. Server-rendered. */
export function ActivityRow({ item, now }: { item: ActivityItem; now: Date }) {
  const t = useTranslations("activity");
  const time = useTimeFormat();
  const deviceLabel = useDeviceLabel();
  const title = activityTitle(item);
  const actor = item.actor === null ? null : activityActor(item.actor);
  // "you, from Firefox on Linux": the device inside the phrase is a label too.
  const actorText =
    actor === null || typeof actor === "string"
      ? actor
      : t(`actor.${actor.key}`, {
          ...actor.values,
          ...(actor.values?.device ? { device: deviceLabel(actor.values.device) } : {}),
        } as never);
  const where = [
    item.device
      ? item.thisDevice
        ? t("row.thisDevice", { device: deviceLabel(item.device) })
        : deviceLabel(item.device)
      : null,
    item.ip ? t("row.ip", { ip: item.ip }) : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <li className="flex flex-col gap-1 p-4 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 font-medium break-words text-fg">
          {t(`event.${title.key}`, title.values as never)}
          {item.newDevice ? (
            <span className="rounded-full bg-warn-soft px-2 py-0.5 text-xs font-medium text-warn ring-1 ring-warn-line ring-inset">
              {t("row.newDevice")}
            </span>
          ) : null}
        </p>
        {where ? <p className="mt-0.5 text-sm break-words text-muted">{where}</p> : null}
        {actorText !== null ? <p className="mt-0.5 text-sm text-muted">{t("row.by", { actor: actorText })}</p> : null}
        {item.mailUnverified ? <p className="mt-0.5 text-sm text-warn">{t("row.mailUnverified")}</p> : null}
      </div>
      <p className="shrink-0 text-sm text-muted">
        <time dateTime={item.occurredAt} title={time.dateTime(item.occurredAt)}>
          {time.relative(item.occurredAt, now)}
        </time>
      </p>
    </li>
  );
}
