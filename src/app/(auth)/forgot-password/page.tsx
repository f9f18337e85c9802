import type { Metadata } from "next";
import { TextLink } from "@/components/text-link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Forgot your password?</h1>
      <p className="mt-1 text-sm text-muted">
        Enter your account&apos;s email address and we will send you a link to choose a new password.
      </p>
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-muted">
        Remembered it? <TextLink href="/login">Sign in</TextLink>
      </p>
    </>
  );
}
