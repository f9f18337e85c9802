"use client";

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
  return (
    <section aria-label="Email verification" className="border-b border-warn-line bg-warn-soft">
      <form
        action={formAction}
        className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 text-sm text-warn"
      >
        <p className="min-w-0 flex-1 basis-64">
          Your email address <span className="font-medium break-all">{email}</span> is not verified yet. Open the link
          we emailed you to verify it.
        </p>
        <SubmitButton variant="secondary" pendingLabel="Sending…" className="min-h-9 shrink-0 px-3 py-1.5">
          Resend verification email
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
