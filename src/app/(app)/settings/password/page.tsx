import type { Metadata } from "next";
import { requireSession } from "@/server/auth/current-session";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Change password" };
export const dynamic = "force-dynamic";

export default async function ChangePasswordPage() {
  await requireSession();
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Change password</h1>
      <p className="mt-1 text-sm text-muted">Enter your current password, then choose a new one.</p>
      <div className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm">
        <PasswordForm />
      </div>
    </div>
  );
}
