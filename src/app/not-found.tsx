import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Brand } from "@/components/brand";
import { TextLink } from "@/components/text-link";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.notFound");
  return { title: t("title") };
}

export default async function NotFound() {
  const t = await getTranslations("auth.notFound");
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center px-4 py-16 text-center">
      <Brand />
      <h1 className="mt-8 text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-2 text-muted">{t("body")}</p>
      <p className="mt-6">
        <TextLink href="/">{t("startPage")}</TextLink>
      </p>
    </main>
  );
}
