"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { requestPasswordResetAction, type ForgotPasswordState } from "./actions";

const INITIAL: ForgotPasswordState = { status: "idle" };

/** The address to send a reset link to; the answer never tells whether an account uses it. */
export function ForgotPasswordForm() {
  const t = useTranslations("auth");
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(requestPasswordResetAction, INITIAL);
  useFocusFirstInvalid(formRef, state, "email");
  const fields = state.status === "error" ? state.fields : {};
  const email = state.status === "idle" ? "" : state.email;

  return (
    <form ref={formRef} action={formAction} noValidate className="mt-6">
      <FormField
        id="email"
        name="email"
        label={t("fields.email")}
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        defaultValue={email}
        errors={fields.email}
      />
      <SubmitButton pendingLabel={t("forgotPassword.pending")} className="mt-3 w-full">
        {t("forgotPassword.submit")}
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "success" ? (
          <Notice tone="success">
            {t("forgotPassword.sent", { email: state.email, minutes: state.validMinutes })}
          </Notice>
        ) : null}
        {state.status === "error" ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
