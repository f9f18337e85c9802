import type { Metadata } from "next";
import { TextLink } from "@/components/text-link";
import { ResetPasswordForm } from "./reset-password-form";

// The link's token is in this page's address: no Referer anywhere (the proxy sends the header too).
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

/** Opened from the emailed link: the token is read by the form in the browser, never rendered here. */
export default function ResetPasswordPage() {
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Choose a new password</h1>
      <p className="mt-1 text-sm text-muted">
        Every device signed in to your account will be signed out, this one included.
      </p>
      <ResetPasswordForm />
      <p className="mt-6 text-center text-sm text-muted">
        <TextLink href="/login">Back to sign in</TextLink>
      </p>
    </>
  );
}
