"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { FormField } from "@/components/form-field";
import { FormError } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { signInSchema } from "@/core/validation";
import { useEngineText } from "@/i18n/use-engine-text";
import { SECOND_FACTOR_REQUIRED, SECOND_FACTOR_RESTART } from "@/server/auth/providers/second-factor-signal";

type LoginState =
  | { status: "idle"; email: string }
  | { status: "error"; email: string; message: string | null; fields: { email?: string[]; password?: string[] } }
  /** The password was right and the account asks for a code (the mfa token is in an HttpOnly cookie). */
  | { status: "second-factor"; email: string; message: string | null; fields: { code?: string[] } }
  | { status: "success"; email: string };

// The engine's own sentences, for the cases where next-auth passes on none: put into the reader's
// language like the ones it does pass on.
const WRONG_CREDENTIALS = "Wrong email or password.";
const RESTART = "This sign-in has expired or was already completed. Please sign in again.";

function englishError(error: string | null | undefined): string {
  if (!error || error === "CredentialsSignin") return WRONG_CREDENTIALS;
  return error;
}

/**
 * Email and password, checked with the shared schema, then next-auth's credentials sign-in. With
 * two-factor authentication on, a second step asks for the code from the authenticator app (or a
 * recovery code) and completes the sign-in through the "second-factor" provider.
 */
export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const t = useTranslations("auth");
  const engineText = useEngineText();
  const formRef = useRef<HTMLFormElement>(null);
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const readableError = (error: string | null | undefined) => engineText(englishError(error));

  function signedIn(email: string): LoginState {
    router.replace(callbackUrl);
    router.refresh();
    return { status: "success", email };
  }

  async function secondStep(prev: LoginState, formData: FormData): Promise<LoginState> {
    const email = prev.email;
    const code = String(formData.get("code") ?? "").trim();
    const recovery = formData.get("kind") === "recovery";
    if (!code)
      return { status: "second-factor", email, message: null, fields: { code: [t("login.secondStep.enterCode")] } };
    try {
      const result = await signIn("second-factor", {
        ...(recovery ? { recoveryCode: code } : { code }),
        redirect: false,
      });
      if (result?.ok && !result.error) return signedIn(email);
      const error = result?.error ?? "";
      if (error.startsWith(SECOND_FACTOR_RESTART)) {
        const message = engineText(error.slice(SECOND_FACTOR_RESTART.length).replace(/^:\s*/, "") || RESTART);
        setUseRecoveryCode(false); // a new sign-in asks for the app's code first again
        return { status: "error", email, message, fields: {} };
      }
      const message = readableError(error);
      return { status: "second-factor", email, message: null, fields: { code: [message] } };
    } catch {
      return { status: "second-factor", email, message: t("offline"), fields: {} };
    }
  }

  async function logIn(prev: LoginState, formData: FormData): Promise<LoginState> {
    if (prev.status === "second-factor") return secondStep(prev, formData);
    const email = String(formData.get("email") ?? "");
    const parsed = signInSchema.safeParse({ email, password: formData.get("password") ?? "" });
    if (!parsed.success) {
      const { fieldErrors } = z.flattenError(parsed.error);
      return {
        status: "error",
        email,
        message: null,
        fields: { email: fieldErrors.email?.map(engineText), password: fieldErrors.password?.map(engineText) },
      };
    }
    try {
      const result = await signIn("credentials", {
        email: parsed.data.email,
        password: parsed.data.password,
        redirect: false,
      });
      if (result?.error === SECOND_FACTOR_REQUIRED) {
        return { status: "second-factor", email, message: null, fields: {} };
      }
      if (!result?.ok || result.error)
        return { status: "error", email, message: readableError(result?.error), fields: {} };
    } catch {
      return { status: "error", email, message: t("offline"), fields: {} };
    }
    return signedIn(email);
  }

  const [state, formAction] = useActionState(logIn, { status: "idle", email: "" });
  const secondFactor = state.status === "second-factor";
  useFocusFirstInvalid(formRef, state, secondFactor ? "code" : "password");
  const codeRef = useRef<HTMLInputElement>(null);
  // Entering the second step (or switching code kinds) puts the cursor in the code field.
  useEffect(() => {
    if (secondFactor) codeRef.current?.focus();
  }, [secondFactor, useRecoveryCode]);

  if (state.status === "second-factor") {
    const fields = state.fields;
    return (
      <form ref={formRef} action={formAction} noValidate className="mt-6" aria-labelledby="second-step-heading">
        <h2 id="second-step-heading" className="text-base font-semibold">
          {t("login.secondStep.heading")}
        </h2>
        <p className="mt-1 mb-3 text-sm text-muted">
          {useRecoveryCode ? t("login.secondStep.recoveryIntro") : t("login.secondStep.codeIntro")}
        </p>
        <input type="hidden" name="kind" value={useRecoveryCode ? "recovery" : "code"} />
        <FormField
          key={useRecoveryCode ? "recovery" : "code"}
          ref={codeRef}
          id="code"
          name="code"
          label={useRecoveryCode ? t("login.secondStep.recoveryCodeLabel") : t("login.secondStep.codeLabel")}
          type="text"
          autoComplete={useRecoveryCode ? "off" : "one-time-code"}
          inputMode={useRecoveryCode ? "text" : "numeric"}
          spellCheck={false}
          maxLength={64}
          required
          errors={fields.code}
        />
        <SubmitButton pendingLabel={t("login.secondStep.pending")} className="mt-3 w-full">
          {t("login.secondStep.submit")}
        </SubmitButton>
        <p className="mt-3 text-center text-sm">
          {/* A link to the code field, which it switches to the other kind of code (focus follows, see
              the effect above); Enter follows it from the keyboard. */}
          <a
            href="#code"
            onClick={(event) => {
              event.preventDefault();
              setUseRecoveryCode((value) => !value);
            }}
            className="font-medium text-accent underline-offset-2 hover:underline"
          >
            {useRecoveryCode ? t("login.secondStep.useAppCode") : t("login.secondStep.useRecoveryCode")}
          </a>
        </p>
        <FormError message={state.message} />
      </form>
    );
  }

  const fields = state.status === "error" ? state.fields : {};
  return (
    <form ref={formRef} action={formAction} noValidate className="mt-6">
      <FormField
        id="email"
        name="email"
        label={t("fields.email")}
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        defaultValue={state.email}
        errors={fields.email}
      />
      <FormField
        id="password"
        name="password"
        label={t("fields.password")}
        type="password"
        autoComplete="current-password"
        required
        errors={fields.password}
        className="mt-3"
      />
      <SubmitButton pendingLabel={t("login.pending")} pending={state.status === "success"} className="mt-3 w-full">
        {t("signIn")}
      </SubmitButton>
      <FormError message={state.status === "error" ? state.message : null} />
    </form>
  );
}
