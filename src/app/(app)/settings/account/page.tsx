import type { Metadata } from "next";
import { requireSession } from "@/server/auth/current-session";
import { ChangeEmailForm } from "./change-email-form";
import { DeleteAccountForm } from "./delete-account-form";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const { user } = await requireSession("/settings/account");
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
      <section className="mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="change-email-heading" className="text-lg font-semibold">
          Change email
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Your email is <span className="font-medium break-all text-slate-800">{user.email}</span>
          {user.emailVerified ? " (verified)" : " (not verified yet)"}. We will send a link to the new address; the
          change happens when you open it.
        </p>
        <ChangeEmailForm />
      </section>
      <section className="mt-6 rounded-xl border border-red-200 bg-white p-6 shadow-sm">
        <h2 id="delete-account-heading" className="text-lg font-semibold text-red-800">
          Delete account
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Signs out every device and deletes the account with its devices and activity. Enter your password to continue.
        </p>
        <DeleteAccountForm />
      </section>
    </div>
  );
}
