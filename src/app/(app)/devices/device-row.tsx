import { useTranslations } from "next-intl";
import { DeviceIcon } from "@/components/device-icon";
import { useTimeFormat } from "@/components/relative-time";
import type { SessionView } from "@/core/session-views";
import { LogOutDeviceButton } from "./log-out-device-button";

/**
 * One signed-in device. Server-rendered: the relative time depends on "now". On phones the
 * "Log out" button moves under the details instead of squeezing them.
 */
export function DeviceRow({
  session,
  now,
  signInMethod,
}: {
  session: SessionView;
  now: Date;
  /** How it signed in, in words (see sign-in-method.ts). */
  signInMethod: string;
}) {
  const t = useTranslations("devices.row");
  const time = useTimeFormat();
  const labelId = `device-${session.id.replace(/[^\w-]/g, "_")}`;
  const summary = t("summary", {
    browser: session.browser ?? t("unknownBrowser"),
    os: session.os ?? t("unknownOs"),
  });
  return (
    <li
      className="grid grid-cols-[auto_1fr] items-start gap-x-4 gap-y-3 p-4 sm:grid-cols-[auto_1fr_auto]"
      aria-current={session.current ? "true" : undefined}
    >
      <DeviceIcon deviceType={session.deviceType} className="mt-0.5 size-8 text-muted" />
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <p id={labelId} className="font-medium break-words text-fg">
            {summary}
            {session.deviceName ? <span className="font-normal text-muted"> · {session.deviceName}</span> : null}
          </p>
          {session.current ? (
            <span className="rounded-full bg-ok-soft px-2 py-0.5 text-xs font-medium text-ok ring-1 ring-ok-line ring-inset">
              {t("thisDevice")}
            </span>
          ) : null}
        </div>
        <p className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-muted">
          <span>{t("ip", { ip: session.ip ?? t("unknownIp") })}</span>
          <span>
            {t.rich("signedIn", {
              when: time.dateTime(session.createdAt),
              time: (chunks) => <time dateTime={session.createdAt}>{chunks}</time>,
            })}
          </span>
          <span>{t("method", { method: signInMethod })}</span>
          <span>
            {t.rich("lastActive", {
              when: time.relative(session.lastActiveAt, now),
              time: (chunks) => (
                <time dateTime={session.lastActiveAt} title={time.dateTime(session.lastActiveAt)}>
                  {chunks}
                </time>
              ),
            })}
          </span>
        </p>
      </div>
      {session.current ? null : (
        <div className="col-start-2 sm:col-start-3 sm:row-start-1">
          <LogOutDeviceButton sessionId={session.id} describedBy={labelId} />
        </div>
      )}
    </li>
  );
}
