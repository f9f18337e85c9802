import type { Metadata } from "next";
import { requireSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";
import { ChangeEmailForm } from "./change-email-form";
import { DeleteAccountForm } from "./delete-account-form";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const { user, claims } = await requireSession("/settings/account");
  const { engine, config } = await getServices();
  // An account made through an identity provider has no password to ask for: a recent sign-in decides.
  const passwordless = !(await engine.hasPassword(claims));
  const recentSignIn = `This account has no password: confirming needs a sign-in from the last ${Math.round(
    config.reauthMaxAgeSeconds / 60,
  )} minutes (sign out and in again if yours is older).`;
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
      <section className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm">
        <h2 id="change-email-heading" className="text-lg font-semibold">
          Change email
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          Your email is <span className="font-medium break-all text-fg">{user.email}</span>
          {user.emailVerified ? " (verified)" : " (not verified yet)"}. We will send a link to the new address; the
          change happens when you open it.
        </p>
        <ChangeEmailForm passwordless={passwordless ? recentSignIn : null} />
      </section>
      <section className="mt-6 rounded-xl border border-danger-line bg-surface p-6 shadow-sm">
        <h2 id="delete-account-heading" className="text-lg font-semibold text-danger">
          Delete account
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          Signs out every device and deletes the account with its devices and activity.
          {passwordless ? null : " Enter your password to continue."}
        </p>
        <DeleteAccountForm passwordless={passwordless ? recentSignIn : null} />
      </section>
    </div>
  );
}
