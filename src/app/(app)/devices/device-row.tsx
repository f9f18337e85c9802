import { DeviceIcon } from "@/components/device-icon";
import { formatDateTime, formatRelativeTime } from "@/components/relative-time";
import type { SessionView } from "@/core/session-views";
import { LogOutDeviceButton } from "./log-out-device-button";

export function deviceSummary(session: Pick<SessionView, "browser" | "os">): string {
  return `${session.browser ?? "Unknown browser"} on ${session.os ?? "Unknown OS"}`;
}

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
  const labelId = `device-${session.id.replace(/[^\w-]/g, "_")}`;
  return (
    <li
      className="grid grid-cols-[auto_1fr] items-start gap-x-4 gap-y-3 p-4 sm:grid-cols-[auto_1fr_auto]"
      aria-current={session.current ? "true" : undefined}
    >
      <DeviceIcon deviceType={session.deviceType} className="mt-0.5 size-8 text-muted" />
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <p id={labelId} className="font-medium break-words text-fg">
            {deviceSummary(session)}
            {session.deviceName ? <span className="font-normal text-muted"> · {session.deviceName}</span> : null}
          </p>
          {session.current ? (
            <span className="rounded-full bg-ok-soft px-2 py-0.5 text-xs font-medium text-ok ring-1 ring-ok-line ring-inset">
              This device
            </span>
          ) : null}
        </div>
        <p className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-muted">
          <span>IP {session.ip ?? "unknown"}</span>
          <span>
            Signed in <time dateTime={session.createdAt}>{formatDateTime(session.createdAt)}</time>
          </span>
          <span>{`With ${signInMethod}`}</span>
          <span>
            Last active{" "}
            <time dateTime={session.lastActiveAt} title={formatDateTime(session.lastActiveAt)}>
              {formatRelativeTime(session.lastActiveAt, now)}
            </time>
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
