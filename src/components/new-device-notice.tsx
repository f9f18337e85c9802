"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useCallback, useState } from "react";
import { useDeviceLabel } from "@/i18n/use-device-label";

/** A sign-in from a new device, as pushed to the user's other open sessions (`new-device` event). */
export interface NewDeviceSignIn {
  id: string;
  device: string;
  ip: string | null;
}

const MAX_SHOWN = 3;

/** The `data` of a `new-device` server-sent event; null when it is not one. */
export function readNewDeviceSignIn(data: string): NewDeviceSignIn | null {
  try {
    const value = JSON.parse(data) as Record<string, unknown>;
    if (typeof value.id !== "string" || typeof value.device !== "string") return null;
    return { id: value.id, device: value.device, ip: typeof value.ip === "string" ? value.ip : null };
  } catch {
    return null;
  }
}

/** The notices of this page's lifetime: newest first, a few at most, each dismissible. */
export function useNewDeviceSignIns() {
  const [signIns, setSignIns] = useState<NewDeviceSignIn[]>([]);
  const add = useCallback(
    (signIn: NewDeviceSignIn) =>
      setSignIns((list) => [signIn, ...list.filter((s) => s.id !== signIn.id)].slice(0, MAX_SHOWN)),
    [],
  );
  const dismiss = useCallback((id: string) => setSignIns((list) => list.filter((s) => s.id !== id)), []);
  return { signIns, add, dismiss };
}

/**
 * "New sign-in from Firefox on Linux (IP …). Not you? Review your devices": an alert (announced at
 * once, focus is not moved), fixed at the bottom of the screen so it is seen wherever the page is
 * scrolled, until dismissed.
 */
export function NewDeviceNotices({
  signIns,
  onDismiss,
}: {
  signIns: NewDeviceSignIn[];
  onDismiss: (id: string) => void;
}) {
  const t = useTranslations("shell.newDevice");
  const deviceLabel = useDeviceLabel();
  if (signIns.length === 0) return null;
  return (
    <div className="pointer-events-none fixed inset-x-0 bottom-0 z-40 flex flex-col items-center gap-2 p-3 sm:p-4">
      {signIns.map((signIn) => (
        <div
          key={signIn.id}
          role="alert"
          className="pointer-events-auto flex w-full max-w-xl items-start gap-3 rounded-lg border border-warn-line bg-warn-soft px-4 py-3 text-sm text-warn shadow-lg"
        >
          <p className="min-w-0 flex-1">
            {t.rich(signIn.ip ? "messageWithIp" : "message", {
              device: deviceLabel(signIn.device),
              ip: signIn.ip ?? "",
              strong: (chunks) => <span className="font-semibold">{chunks}</span>,
              link: (chunks) => (
                <Link
                  href="/devices"
                  className="font-medium text-accent underline underline-offset-2 hover:text-accent-strong"
                >
                  {chunks}
                </Link>
              ),
            })}
          </p>
          <button
            type="button"
            onClick={() => onDismiss(signIn.id)}
            className="-my-1 -mr-2 shrink-0 rounded-md px-2 py-1 font-medium text-warn hover:bg-warn-hover"
            aria-label={t("dismissLabel", { device: deviceLabel(signIn.device) })}
          >
            {t("dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}
