import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { VerifyEmail } from "./verify-email";

// The link's token is in this page's address: no Referer anywhere (the proxy sends the header too).
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.verifyEmail");
  return { title: t("title"), referrer: "no-referrer" };
}

/** Opened from the emailed link; the page's script reads the token and uses it (never rendered here). */
export default async function VerifyEmailPage() {
  const t = await getTranslations("auth.verifyEmail");
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">{t("heading")}</h1>
      <VerifyEmail />
    </>
  );
}
