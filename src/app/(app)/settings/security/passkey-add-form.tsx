"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { usePasskeyCeremonyError } from "@/components/passkey-error";
import { SubmitButton } from "@/components/submit-button";
import { addPasskeyAction, passkeyOptionsAction, type PasskeyActionFailure } from "./passkey-actions";

type State = { status: "idle" } | { status: "added"; name: string } | PasskeyActionFailure;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

const OFFLINE = "We could not reach the server. Check your connection and try again.";

/** "Add a passkey": options from the server, the browser's ceremony, then the answer stored under the name. */
export function PasskeyAddForm({ askPassword }: { askPassword: boolean }) {
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
      next = { status: "error", message: OFFLINE, fields: {}, needsPassword: false };
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
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Add a passkey" className="mt-5">
      <FormField
        id="passkey-name"
        name="name"
        label="Passkey name"
        maxLength={64}
        autoComplete="off"
        optional
        hint="For example “Work laptop”. Leave empty to name it after this device."
        errors={fields.name}
      />
      {needsPassword ? (
        <FormField
          id="passkey-add-password"
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          hint="Your last sign-in is a while ago: confirm it is you."
          errors={fields.password}
          className="mt-3"
        />
      ) : null}
      <SubmitButton pendingLabel="Waiting for your passkey…" pending={pending} className="mt-3">
        Add a passkey
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "error" && !fields.password && !fields.name ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : state.status === "added" ? (
          <Notice variant="inline" tone="success">
            Passkey “{state.name}” added.
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
