"use client";

import { signIn } from "next-auth/react";
import { useActionState, useEffect, useId } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import {
  connectIdentityAction,
  disconnectIdentityAction,
  type ConnectState,
  type DisconnectState,
} from "./connected-actions";

function PasswordField({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <FormField
      id={id}
      name="password"
      label="Password"
      type="password"
      autoComplete="current-password"
      optional
      hint="Not needed within minutes of signing in."
      errors={errors}
      className="mt-3"
    />
  );
}

/** "Connect <name>": the server action checks re-authentication, then the browser goes to the provider. */
export function ConnectForm({ provider, name }: { provider: string; name: string }) {
  const [state, formAction] = useActionState<ConnectState, FormData>(connectIdentityAction, { status: "idle" });
  const id = useId();
  useEffect(() => {
    if (state.status === "ready") void signIn(state.provider, { callbackUrl: "/settings/security#connected-accounts" });
  }, [state]);
  const fields = state.status === "error" ? state.fields : {};
  return (
    <form action={formAction} noValidate aria-label={`Connect ${name}`}>
      <input type="hidden" name="provider" value={provider} />
      <PasswordField id={`${id}-password`} errors={fields.password} />
      <SubmitButton variant="secondary" pendingLabel={`Opening ${name}…`} pending={state.status === "ready"}>
        {`Connect ${name}`}
      </SubmitButton>
      <MessageSlot className="mt-2">
        {state.status === "error" && !fields.password ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}

/** "Disconnect": refused (with the reason) when it is the account's last way in. */
export function DisconnectForm({ provider, name }: { provider: string; name: string }) {
  const [state, formAction] = useActionState<DisconnectState, FormData>(disconnectIdentityAction, { status: "idle" });
  const id = useId();
  const fields = state.status === "error" ? state.fields : {};
  return (
    <form action={formAction} noValidate aria-label={`Disconnect ${name}`}>
      <input type="hidden" name="provider" value={provider} />
      <PasswordField id={`${id}-password`} errors={fields.password} />
      <SubmitButton variant="secondary" pendingLabel="Disconnecting…">
        {`Disconnect ${name}`}
      </SubmitButton>
      <MessageSlot className="mt-2">
        {state.status === "error" && !fields.password ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : state.status === "success" ? (
          <Notice variant="inline" tone="success">
            {state.message}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
