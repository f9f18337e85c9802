"use client";

import { useTranslations } from "next-intl";
import type { MouseEvent, ReactNode, Ref } from "react";
import { buttonClasses } from "./button-styles";
import { SubmitButton } from "./submit-button";

/**
 * The question before something that cannot be undone, as a modal <dialog> inside the form it
 * submits: opened with `showModal()` (focus moves to "Cancel"), closed by Escape or "Cancel" with
 * nothing done; only the confirm button submits the form. Like every SubmitButton it is disabled
 * until the page has hydrated: before then, Enter in one of the form's fields would make it the
 * form's default button and submit without the question ever being asked.
 */
export function ConfirmDialog({
  ref,
  headingId,
  describedBy,
  heading,
  confirmLabel,
  pendingLabel,
  children,
}: {
  ref: Ref<HTMLDialogElement>;
  headingId: string;
  /** The id of the sentence that says what confirming does, when there is one. */
  describedBy?: string;
  heading: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  /** What the confirmation means (and any field it needs). */
  children: ReactNode;
}) {
  const t = useTranslations("shell.confirm");
  const close = (event: MouseEvent<HTMLButtonElement>) => event.currentTarget.closest("dialog")?.close();
  return (
    <dialog
      ref={ref}
      aria-labelledby={headingId}
      aria-describedby={describedBy}
      className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-xl border border-line bg-surface p-6 text-fg shadow-xl backdrop:bg-backdrop"
    >
      <h2 id={headingId} className="text-lg font-semibold break-words">
        {heading}
      </h2>
      {children}
      <div className="mt-5 flex flex-wrap justify-end gap-2">
        <button type="button" autoFocus onClick={close} className={buttonClasses("secondary")}>
          {t("cancel")}
        </button>
        <SubmitButton variant="danger" pendingLabel={pendingLabel}>
          {confirmLabel}
        </SubmitButton>
      </div>
    </dialog>
  );
}
