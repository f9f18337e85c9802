import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireSession } from "@/server/auth/current-session";
import { PasswordForm } from "./password-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("account.password"))("title") };
}

export const dynamic = "force-dynamic";

export default async function ChangePasswordPage() {
  await requireSession();
  const t = await getTranslations("account.password");
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>
      <div className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm">
        <PasswordForm />
      </div>
    </div>
  );
}
