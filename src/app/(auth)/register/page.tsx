import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TextLink } from "@/components/text-link";
import { RegisterForm } from "./register-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.register");
  return { title: t("title") };
}

export default async function RegisterPage() {
  const t = await getTranslations("auth.register");
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>
      <RegisterForm />
      <p className="mt-6 text-center text-sm text-muted">
        {t.rich("haveAccount", { link: (chunks) => <TextLink href="/login">{chunks}</TextLink> })}
      </p>
    </>
  );
}
