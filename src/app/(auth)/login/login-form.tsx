"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useRef } from "react";
import { z } from "zod";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import { useFocusFirstInvalid } from "@/components/use-focus-first-invalid";
import { signInSchema } from "@/core/validation";

type LoginState =
  | { status: "idle"; email: string }
  | { status: "error"; email: string; message: string | null; fields: { email?: string[]; password?: string[] } }
  | { status: "success"; email: string };

const WRONG_CREDENTIALS = "Wrong email or password.";

function readableError(error: string | null | undefined): string {
  if (!error || error === "CredentialsSignin") return WRONG_CREDENTIALS;
  return error;
}

/** Email and password, checked with the shared schema, then next-auth's credentials sign-in. */
export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);

  async function logIn(_prev: LoginState, formData: FormData): Promise<LoginState> {
    const email = String(formData.get("email") ?? "");
    const parsed = signInSchema.safeParse({ email, password: formData.get("password") ?? "" });
    if (!parsed.success) {
      const { fieldErrors } = z.flattenError(parsed.error);
      return {
        status: "error",
        email,
        message: null,
        fields: { email: fieldErrors.email, password: fieldErrors.password },
      };
    }
    try {
      const result = await signIn("credentials", {
        email: parsed.data.email,
        password: parsed.data.password,
        redirect: false,
      });
      if (!result?.ok || result.error)
        return { status: "error", email, message: readableError(result?.error), fields: {} };
    } catch {
      return {
        status: "error",
        email,
        message: "We could not reach the server. Check your connection and try again.",
        fields: {},
      };
    }
    router.replace(callbackUrl);
    router.refresh();
    return { status: "success", email };
  }

  const [state, formAction] = useActionState(logIn, { status: "idle", email: "" });
  useFocusFirstInvalid(formRef, state, "password");
  const fields = state.status === "error" ? state.fields : {};

  return (
    <form ref={formRef} action={formAction} noValidate className="mt-6">
      <FormField
        id="email"
        name="email"
        label="Email"
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
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={fields.password}
        className="mt-3"
      />
      <SubmitButton pendingLabel="Signing in…" pending={state.status === "success"} className="mt-3 w-full">
        Sign in
      </SubmitButton>
      <MessageSlot className="mt-3">
        {state.status === "error" && state.message ? (
          <Notice variant="inline" tone="error">
            {state.message}
          </Notice>
        ) : null}
      </MessageSlot>
    </form>
  );
}
