import { useTranslations } from "next-intl";
import type { SVGProps } from "react";

type Kind = "desktop" | "mobile" | "tablet" | "unknown";

function kindOf(deviceType: string | null): Kind {
  return deviceType === "desktop" || deviceType === "mobile" || deviceType === "tablet" ? deviceType : "unknown";
}

/** An outline icon for a device class (ua-parser's "mobile" | "tablet" | "desktop"; anything else is "unknown"). */
export function DeviceIcon({ deviceType, ...svg }: { deviceType: string | null } & SVGProps<SVGSVGElement>) {
  const kind = kindOf(deviceType);
  const t = useTranslations("shell.device");
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      role="img"
      aria-label={t(kind)}
      {...svg}
    >
      {kind === "desktop" ? (
        <>
          <rect x="3" y="4" width="18" height="12" rx="1.5" />
          <path d="M8 20h8M12 16v4" />
        </>
      ) : kind === "mobile" ? (
        <>
          <rect x="7" y="2.5" width="10" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </>
      ) : kind === "tablet" ? (
        <>
          <rect x="4.5" y="2.5" width="15" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </>
      ) : (
        <>
          <rect x="3.5" y="3.5" width="17" height="17" rx="2" />
          <path d="M9.75 9.5a2.25 2.25 0 1 1 3.1 2.08c-.5.2-.85.68-.85 1.22v.45M12 16.25h.01" />
        </>
      )}
    </svg>
  );
}
