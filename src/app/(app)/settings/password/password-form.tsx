"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { NewPasswordField } from "@/components/new-password-field";
import { changePasswordAction, type ChangePasswordState } from "./actions";

const INITIAL: ChangePasswordState = { status: "idle" };

/**
 * React resets this uncontrolled form after every submit, so the fields are cleared on success
 * (and no password lingers on screen after an error either).
 */
export function PasswordForm() {
  const t = useTranslations("account.password");
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(changePasswordAction, INITIAL);
  useFocusFirstInvalid(formRef, state, "currentPassword");
  const fields = state.status === "error" ? state.fields : {};

  return (
    <form ref={formRef} action={formAction} noValidate>
      <FormField
        id="currentPassword"
        name="currentPassword"
        label={t("current")}
        type="password"
        autoComplete="current-password"
        required
        errors={fields.currentPassword}
      />
      <NewPasswordField
        id="newPassword"
        name="newPassword"
        label={t("new")}
        errors={fields.newPassword}
        className="mt-3"
      />
      <SubmitButton pendingLabel={t("pending")} className="mt-3 w-full sm:w-auto">
        {t("submit")}
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "success" ? (
          <Notice variant="inline" tone="success">
            {t("success")}
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
