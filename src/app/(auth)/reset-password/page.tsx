import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TextLink } from "@/components/text-link";
import { ResetPasswordForm } from "./reset-password-form";

// The link's token is in this page's address: no Referer anywhere (the proxy sends the header too).
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.resetPassword");
  return { title: t("title"), referrer: "no-referrer" };
}

/** Opened from the emailed link: the token is read by the form in the browser, never rendered here. */
export default async function ResetPasswordPage() {
  const t = await getTranslations("auth.resetPassword");
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>
      <ResetPasswordForm />
      <p className="mt-6 text-center text-sm text-muted">
        <TextLink href="/login">{t("backToSignIn")}</TextLink>
      </p>
    </>
  );
}
