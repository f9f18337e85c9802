"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { changeEmailAction, type ChangeEmailState } from "./actions";

const INITIAL: ChangeEmailState = { status: "idle" };

/**
 * New address and password; the change happens only when the link mailed to the new address is used.
 * `passwordless`: the account has no password, and this says what confirms the change instead.
 */
export function ChangeEmailForm({ passwordless = null }: { passwordless?: string | null }) {
  const t = useTranslations("account.email");
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(changeEmailAction, INITIAL);
  useFocusFirstInvalid(formRef, state, "change-email-password");
  const fields = state.status === "error" ? state.fields : {};

  return (
    <form ref={formRef} action={formAction} noValidate aria-labelledby="change-email-heading">
      <FormField
        id="newEmail"
        name="newEmail"
        label={t("newEmail")}
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state.status === "error" ? state.newEmail : ""}
        errors={fields.newEmail}
      />
      {passwordless ? (
        <p className="mt-3 text-sm text-muted">{passwordless}</p>
      ) : (
        <FormField
          id="change-email-password"
          name="password"
          label={t("password")}
          type="password"
          autoComplete="current-password"
          required
          errors={fields.password}
          className="mt-3"
        />
      )}
      <SubmitButton pendingLabel={t("pending")} className="mt-3 w-full sm:w-auto">
        {t("submit")}
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "success" ? (
          <Notice tone="success">{t("sent", { newEmail: state.newEmail, currentEmail: state.currentEmail })}</Notice>
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
