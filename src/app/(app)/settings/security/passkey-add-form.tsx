"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { usePasskeyCeremonyError } from "@/components/passkey-error";
import { SubmitButton } from "@/components/submit-button";
import { addPasskeyAction, passkeyOptionsAction, type PasskeyActionFailure } from "./passkey-actions";
import { PasswordAgainField } from "./password-again-field";

type State = { status: "idle" } | { status: "added"; name: string } | PasskeyActionFailure;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

/** "Add a passkey": options from the server, the browser's ceremony, then the answer stored under the name. */
export function PasskeyAddForm({ askPassword }: { askPassword: boolean }) {
  const t = useTranslations("security");
  const router = useRouter();
  const passkeyCeremonyError = usePasskeyCeremonyError();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, setState] = useState<State>({ status: "idle" });
  const [pending, setPending] = useState(false);
  const [needsPassword, setNeedsPassword] = useState(askPassword);

  async function add(name: string, password: string): Promise<State> {
    const options = await passkeyOptionsAction(null, form({ password }));
    if (options.status === "error") return options;
    let response;
    try {
      response = await startRegistration({ optionsJSON: options.options });
    } catch (error) {
      return {
        status: "error",
        message: passkeyCeremonyError(error, "registration"),
        fields: {},
        needsPassword: false,
      };
    }
    const added = await addPasskeyAction(null, form({ name, response: JSON.stringify(response) }));
    return added.status === "ok" ? { status: "added", name: added.name } : added;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    let next: State;
    try {
      next = await add(String(data.get("name") ?? ""), String(data.get("password") ?? ""));
    } catch {
      next = { status: "error", message: t("passkeys.offline"), fields: {}, needsPassword: false };
    }
    setPending(false);
    setState(next);
    if (next.status === "error" && next.needsPassword) setNeedsPassword(true);
    if (next.status === "added") {
      formRef.current?.reset();
      setNeedsPassword(askPassword);
      router.refresh();
    }
  }

  const fields = state.status === "error" ? state.fields : {};
  return (
    <form
      ref={formRef}
      method="post"
      onSubmit={onSubmit}
      noValidate
      aria-label={t("passkeys.addLabel")}
      className="mt-5"
    >
      <FormField
        id="passkey-name"
        name="name"
        label={t("passkeys.name")}
        maxLength={64}
        autoComplete="off"
        optional
        hint={t("passkeys.nameHint")}
        errors={fields.name}
      />
      {needsPassword ? (
        <PasswordAgainField
          id="passkey-add-password"
          hint={t("passkeys.passwordHint")}
          errors={fields.password}
          className="mt-3"
        />
      ) : null}
      <SubmitButton pendingLabel={t("passkeys.adding")} pending={pending} className="mt-3">
        {t("passkeys.add")}
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "error" && !fields.password && !fields.name ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : state.status === "added" ? (
          <Notice variant="inline" tone="success">
            {t("passkeys.added", { name: state.name })}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
