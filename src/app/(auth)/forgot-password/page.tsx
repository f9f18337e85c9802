import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TextLink } from "@/components/text-link";
import { ForgotPasswordForm } from "./forgot-password-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.forgotPassword");
  return { title: t("title") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("auth.forgotPassword");
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">{t("heading")}</h1>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm text-muted">
        {t.rich("remembered", { link: (chunks) => <TextLink href="/login">{chunks}</TextLink> })}
      </p>
    </>
  );
}
