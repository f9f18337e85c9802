"use client";

import { useTranslations } from "next-intl";
import { startTransition, useActionState, useId, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { buttonClasses } from "@/components/button-styles";
import { SubmitButton } from "@/components/submit-button";
import { useHydrated } from "@/components/use-hydrated";
import { logOutEverywhereAction, logOutOthersAction, type DeviceActionState } from "./actions";
import { useReportDeviceResult } from "./device-feedback";

const ACTIONS = { others: logOutOthersAction, everywhere: logOutEverywhereAction } as const;

/** A bulk log-out with an inline confirm step whose confirm button repeats the action's name. */
export function BulkLogOut({ kind }: { kind: keyof typeof ACTIONS }) {
  const action = ACTIONS[kind];
  const t = useTranslations("devices.bulk");
  const label = t(`${kind}.label`);
  const report = useReportDeviceResult();
  const hydrated = useHydrated();
  const [confirming, setConfirming] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();

  const [, formAction] = useActionState(
    async (prev: DeviceActionState, formData: FormData) => {
      // "Everywhere" redirects to /login on success: the awaited call then rejects and Next navigates.
      const result = await action(prev, formData);
      startTransition(() => {
        report(result);
        setConfirming(false);
      });
      return result;
    },
    { status: "idle" } satisfies DeviceActionState,
  );

  // Focus follows the swap between the button and its confirm step (flushSync: the target must exist first).
  function open() {
    flushSync(() => setConfirming(true));
    cancelRef.current?.focus();
  }
  function cancel() {
    flushSync(() => setConfirming(false));
    triggerRef.current?.focus();
  }

  return (
    <div className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
      {confirming ? (
        <form
          action={formAction}
          aria-labelledby={questionId}
          className="flex w-full flex-col gap-3 sm:flex-row sm:items-center sm:justify-between"
        >
          <p id={questionId} className="text-sm font-medium text-fg">
            {t(`${kind}.question`)}
          </p>
          <div className="flex shrink-0 flex-wrap gap-2">
            <SubmitButton variant="danger" pendingLabel={t(`${kind}.pending`)}>
              {label}
            </SubmitButton>
            <button ref={cancelRef} type="button" onClick={cancel} className={buttonClasses("ghost")}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="text-sm text-muted">{t(`${kind}.description`)}</p>
          <button
            ref={triggerRef}
            type="button"
            onClick={open}
            disabled={!hydrated}
            className={buttonClasses(kind === "everywhere" ? "danger" : "secondary", "shrink-0")}
          >
            {label}
          </button>
        </>
      )}
    </div>
  );
}
