"use client";

import { useTranslations } from "next-intl";
import { startTransition, useActionState } from "react";
import { buttonClasses } from "@/components/button-styles";
import { logOutDeviceAction, type DeviceActionState } from "./actions";
import { useReportDeviceResult } from "./device-feedback";

/** "Log out" for one other device; aria-describedby names which device (the visible label is the same on every row). */
export function LogOutDeviceButton({ sessionId, describedBy }: { sessionId: string; describedBy: string }) {
  const report = useReportDeviceResult();
  const t = useTranslations("devices.row");
  const [, formAction, pending] = useActionState(
    async (prev: DeviceActionState, formData: FormData) => {
      const result = await logOutDeviceAction(prev, formData);
      startTransition(() => report(result));
      return result;
    },
    { status: "idle" } satisfies DeviceActionState,
  );

  return (
    <form action={formAction}>
      <input type="hidden" name="sessionId" value={sessionId} />
      <button
        type="submit"
        aria-describedby={describedBy}
        disabled={pending}
        className={buttonClasses("secondary", "min-h-9 min-w-24 px-3 py-1.5")}
      >
        {pending ? t("loggingOut") : t("logOut")}
      </button>
    </form>
  );
}
