import type { Metadata } from "next";
import { VerifyEmail } from "./verify-email";

// The link's token is in this page's address: no Referer anywhere (the proxy sends the header too).
export const metadata: Metadata = { title: "Verify email", referrer: "no-referrer" };

/** Opened from the emailed link; the page's script reads the token and uses it (never rendered here). */
export default function VerifyEmailPage() {
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Verify your email address</h1>
      <VerifyEmail />
    </>
  );
}
