"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import { buttonClasses } from "@/components/button-styles";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormField } from "@/components/form-field";
import { FormError } from "@/components/notice";
import { useHydrated } from "@/components/use-hydrated";
import { deleteAccountAction, type DeleteAccountState } from "./actions";

const INITIAL: DeleteAccountState = { status: "idle" };

/**
 * Two steps: the password, then a confirmation dialog (a modal <dialog>: focus moves into it,
 * Escape or "Cancel" closes it and nothing happens). Only "Yes, delete my account" submits.
 * `passwordless`: the account has no password, and this says what confirms the deletion instead.
 */
export function DeleteAccountForm({ passwordless = null }: { passwordless?: string | null }) {
  const t = useTranslations("account.delete");
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [state, formAction] = useActionState(deleteAccountAction, INITIAL);
  const [missing, setMissing] = useState(false);
  const fields = state.status === "error" ? state.fields : {};
  const passwordErrors = missing ? [t("passwordRequired")] : fields.password;

  // A refused deletion (a wrong password): the dialog is gone, the field says why and has focus.
  useEffect(() => {
    if (state.status !== "error") return;
    dialogRef.current?.close();
    passwordRef.current?.focus();
  }, [state]);

  function askToConfirm() {
    if (!passwordless && !passwordRef.current?.value) {
      setMissing(true);
      passwordRef.current?.focus();
      return;
    }
    setMissing(false);
    dialogRef.current?.showModal();
  }

  return (
    <form ref={formRef} action={formAction} noValidate aria-labelledby="delete-account-heading">
      {passwordless ? (
        <p className="text-sm text-muted">{passwordless}</p>
      ) : (
        <FormField
          ref={passwordRef}
          id="delete-account-password"
          name="password"
          label={t("password")}
          type="password"
          autoComplete="current-password"
          required
          errors={passwordErrors}
          onKeyDown={(event) => {
            // Enter in the field takes the same first step as the button, never the deletion itself.
            if (event.key === "Enter") {
              event.preventDefault();
              askToConfirm();
            }
          }}
        />
      )}
      <button
        type="button"
        onClick={askToConfirm}
        disabled={!hydrated}
        className={buttonClasses("danger", "mt-3 w-full sm:w-auto")}
      >
        {t("button")}
      </button>
      <FormError message={state.status === "error" && !fields.password ? state.message : null} />
      <ConfirmDialog
        ref={dialogRef}
        headingId="confirm-delete-heading"
        describedBy="confirm-delete-text"
        heading={t("confirmHeading")}
        confirmLabel={t("confirm")}
        pendingLabel={t("pending")}
      >
        <p id="confirm-delete-text" className="mt-2 text-sm text-fg-soft">
          {t("consequence")}
        </p>
      </ConfirmDialog>
    </form>
  );
}
