"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import { buttonClasses } from "@/components/button-styles";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormError } from "@/components/notice";
import { useHydrated } from "@/components/use-hydrated";
import { removePasskeyAction, type RemovePasskeyState } from "./passkey-actions";
import { PasswordAgainField } from "./password-again-field";

const INITIAL: RemovePasskeyState = { status: "idle" };

/**
 * "Remove" opens a confirmation dialog (a modal <dialog>: Escape or "Cancel" closes it and nothing
 * happens); the password is asked there when the sign-in is not recent.
 */
export function PasskeyRemoveButton({ id, name, askPassword }: { id: string; name: string; askPassword: boolean }) {
  const t = useTranslations("security");
  const hydrated = useHydrated();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [state, formAction] = useActionState(removePasskeyAction, INITIAL);
  const needsPassword = askPassword || (state.status === "error" && state.needsPassword);
  const fields = state.status === "error" ? state.fields : {};
  const headingId = `remove-passkey-${id}-heading`;

  useEffect(() => {
    if (state.status === "ok") dialogRef.current?.close();
  }, [state]);

  return (
    <form action={formAction} noValidate>
      <input type="hidden" name="id" value={id} />
      <button
        type="button"
        onClick={() => dialogRef.current?.showModal()}
        disabled={!hydrated}
        className={buttonClasses("secondary", "px-3 py-1.5")}
      >
        {t.rich("passkeys.remove", { name, hidden: (chunks) => <span className="sr-only">{chunks}</span> })}
      </button>
      <ConfirmDialog
        ref={dialogRef}
        headingId={headingId}
        heading={t("passkeys.removeHeading", { name })}
        confirmLabel={t("passkeys.removeConfirm")}
        pendingLabel={t("passkeys.removing")}
      >
        <p className="mt-2 text-sm text-fg-soft">{t("passkeys.removeConsequence")}</p>
        {needsPassword ? (
          <PasswordAgainField id={`remove-passkey-${id}-password`} errors={fields.password} className="mt-4" />
        ) : null}
        <FormError message={state.status === "error" && !fields.password ? state.message : null} />
      </ConfirmDialog>
    </form>
  );
}
