"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { MessageSlot, Notice } from "./notice";
import { SubmitButton } from "./submit-button";

export type ResendVerificationState =
  { status: "idle" } | { status: "sent"; message: string } | { status: "error"; message: string };

/**
 * Shown on signed-in pages while the account's address is not verified: security mail still goes
 * there, so the owner is asked to prove they receive it. `resendAction` (given by the layout) mails
 * a fresh link.
 */
export function UnverifiedEmailBanner({
  email,
  resendAction,
}: {
  email: string;
  resendAction: (prev: ResendVerificationState, formData: FormData) => Promise<ResendVerificationState>;
}) {
  const [state, formAction] = useActionState(resendAction, { status: "idle" });
  const t = useTranslations("shell.verifyBanner");
  return (
    <section aria-label={t("label")} className="border-b border-warn-line bg-warn-soft">
      <form
        action={formAction}
        className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm text-warn"
      >
        <p className="min-w-0 flex-1 basis-64">
          {t.rich("text", { email, address: (chunks) => <span className="font-medium break-all">{chunks}</span> })}
        </p>
        <SubmitButton variant="secondary" pendingLabel={t("pending")} className="min-h-9 shrink-0 px-3 py-1.5">
          {t("resend")}
        </SubmitButton>
        {state.status !== "idle" ? (
          <MessageSlot className="basis-full">
            <Notice variant="inline" tone={state.status === "sent" ? "success" : "error"}>
              {state.message}
            </Notice>
          </MessageSlot>
        ) : null}
      </form>
    </section>
  );
}
