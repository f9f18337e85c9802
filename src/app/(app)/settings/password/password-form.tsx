"use client";

import { useActionState, useRef } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { NewPasswordField } from "@/components/new-password-field";
import { changePasswordAction, type ChangePasswordState } from "./actions";

const INITIAL: ChangePasswordState = { status: "idle" };

/** The success line always starts with "Password changed", whatever detail the server adds. */
function successText(message: string): string {
  return message.includes("Password changed") ? message : `Password changed. ${message}`.trim();
}

/**
 * React resets this uncontrolled form after every submit, so the fields are cleared on success
 * (and no password lingers on screen after an error either).
 */
export function PasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(changePasswordAction, INITIAL);
  useFocusFirstInvalid(formRef, state, "currentPassword");
  const fields = state.status === "error" ? state.fields : {};

  return (
    <form ref={formRef} action={formAction} noValidate>
      <FormField
        id="currentPassword"
        name="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        errors={fields.currentPassword}
      />
      <NewPasswordField
        id="newPassword"
        name="newPassword"
        label="New password"
        errors={fields.newPassword}
        className="mt-3"
      />
      <SubmitButton pendingLabel="Changing password…" className="mt-3 w-full sm:w-auto">
        Change password
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "success" ? (
          <Notice variant="inline" tone="success">
            {successText(state.message)}
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
