"use client";

import { useTranslations } from "next-intl";
import { signIn } from "next-auth/react";
import { useActionState, useEffect, useId } from "react";
import { FormError } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import {
  connectIdentityAction,
  disconnectIdentityAction,
  type ConnectState,
  type DisconnectState,
} from "./connected-actions";
import { PasswordAgainField } from "./password-again-field";

/** What a form's state says under the button: an error not about the password field. */
function messageOf(state: ConnectState | DisconnectState): string | null {
  return state.status === "error" && !state.fields.password ? state.message : null;
}

/** One provider's form: its id, the optional password, the button, the message. */
function ProviderForm(props: {
  action: (formData: FormData) => void;
  provider: string;
  label: string;
  pendingLabel: string;
  pending?: boolean;
  state: ConnectState | DisconnectState;
}) {
  const t = useTranslations("security.connected");
  const id = useId();
  const message = messageOf(props.state);
  return (
    <form action={props.action} noValidate aria-label={props.label}>
      <input type="hidden" name="provider" value={props.provider} />
      <PasswordAgainField
        id={`${id}-password`}
        optional
        hint={t("passwordHint")}
        errors={props.state.status === "error" ? props.state.fields.password : undefined}
      />
      <SubmitButton variant="secondary" pendingLabel={props.pendingLabel} pending={props.pending}>
        {props.label}
      </SubmitButton>
      <FormError message={message} className="mt-2" />
    </form>
  );
}

/** "Connect <name>": the server action checks re-authentication, then the browser goes to the provider. */
export function ConnectForm({ provider, name }: { provider: string; name: string }) {
  const t = useTranslations("security.connected");
  const [state, formAction] = useActionState<ConnectState, FormData>(connectIdentityAction, { status: "idle" });
  useEffect(() => {
    if (state.status === "ready") void signIn(state.provider, { callbackUrl: "/settings/security#connected-accounts" });
  }, [state]);
  return (
    <ProviderForm
      action={formAction}
      provider={provider}
      label={t("connect", { name })}
      pendingLabel={t("opening", { name })}
      pending={state.status === "ready"}
      state={state}
    />
  );
}

/** "Disconnect": refused (with the reason) when it is the account's last way in. */
export function DisconnectForm({ provider, name }: { provider: string; name: string }) {
  const t = useTranslations("security.connected");
  const [state, formAction] = useActionState<DisconnectState, FormData>(disconnectIdentityAction, { status: "idle" });
  return (
    <ProviderForm
      action={formAction}
      provider={provider}
      label={t("disconnect", { name })}
      pendingLabel={t("disconnecting")}
      state={state}
    />
  );
}
