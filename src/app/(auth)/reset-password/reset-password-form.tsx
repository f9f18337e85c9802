"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { NewPasswordField } from "@/components/new-password-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { TextLink } from "@/components/text-link";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { useLinkToken } from "@/components/use-link-token";
import { resetPasswordAction, type ResetPasswordState } from "./actions";

const INITIAL: ResetPasswordState = { status: "idle" };

function DeadLink({ message }: { message: string }) {
  const t = useTranslations("auth.resetPassword");
  return (
    <Notice tone="error" className="mt-6">
      {t.rich("deadLink", { message, link: (chunks) => <TextLink href="/forgot-password">{chunks}</TextLink> })}
    </Notice>
  );
}

/**
 * The new password, posted with the link's token in a hidden field (the token was taken out of the
 * address bar as soon as the page read it). A dead link offers a new one.
 */
export function ResetPasswordForm() {
  const t = useTranslations("auth");
  const token = useLinkToken();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(resetPasswordAction, INITIAL);
  useFocusFirstInvalid(formRef, state, "newPassword");

  if (token === null) return <DeadLink message={t("link.noToken")} />;
  if (state.status === "error" && state.deadLink) return <DeadLink message={state.message} />;
  const fields = state.status === "error" ? state.fields : {};

  return (
    <form ref={formRef} action={formAction} noValidate className="mt-6">
      <input type="hidden" name="token" value={token ?? ""} />
      <NewPasswordField
        id="newPassword"
        name="newPassword"
        label={t("fields.newPassword")}
        errors={fields.newPassword}
      />
      <SubmitButton pendingLabel={t("resetPassword.pending")} disabled={token === undefined} className="mt-3 w-full">
        {t("resetPassword.submit")}
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "error" ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
