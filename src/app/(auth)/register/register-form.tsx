"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useActionState, useRef } from "react";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { TextLink } from "@/components/text-link";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { NewPasswordField } from "@/components/new-password-field";
import { registerAction, type RegisterState } from "./actions";

/** The server action's state, plus the case where the account exists but the automatic sign-in failed. */
type FormState = RegisterState | { status: "signin-failed"; email: string };

/** Creates the account (server action), then signs this browser in through next-auth. */
export function RegisterForm() {
  const router = useRouter();
  const t = useTranslations("auth");
  const formRef = useRef<HTMLFormElement>(null);

  async function register(_prev: FormState, formData: FormData): Promise<FormState> {
    // Read the password now: React resets the form once the action finishes, and the server never echoes it.
    const password = String(formData.get("password") ?? "");
    const result = await registerAction({ status: "idle" }, formData);
    if (result.status !== "success") return result;
    try {
      const signedIn = await signIn("credentials", { email: result.email, password, redirect: false });
      if (!signedIn?.ok || signedIn.error) return { status: "signin-failed", email: result.email };
    } catch {
      return { status: "signin-failed", email: result.email };
    }
    router.replace("/devices");
    router.refresh();
    return result;
  }

  const [state, formAction] = useActionState(register, { status: "idle" });
  useFocusFirstInvalid(formRef, state);
  const fields = state.status === "error" ? state.fields : {};
  const values =
    state.status === "error" ? state.values : { email: state.status === "idle" ? "" : state.email, name: "" };

  return (
    <form ref={formRef} action={formAction} noValidate className="mt-6">
      <FormField
        id="email"
        name="email"
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={values.email}
        errors={fields.email}
      />
      <NewPasswordField
        id="password"
        name="password"
        label={t("fields.password")}
        errors={fields.password}
        className="mt-3"
      />
      <FormField
        id="name"
        name="name"
        label={t("fields.name")}
        type="text"
        autoComplete="name"
        optional
        defaultValue={values.name}
        errors={fields.name}
        className="mt-3"
      />
      <SubmitButton pendingLabel={t("register.pending")} pending={state.status === "success"} className="mt-3 w-full">
        {t("register.submit")}
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "error" ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : null}
        {state.status === "signin-failed" ? (
          <Notice variant="inline" tone="error">
            {t.rich("register.signInFailed", { link: (chunks) => <TextLink href="/login">{chunks}</TextLink> })}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
