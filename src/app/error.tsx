"use client";

import { useTranslations } from "next-intl";
import { Brand } from "@/components/brand";
import { buttonClasses } from "@/components/button-styles";

/** A friendly fallback; the details stay in the server logs (production errors carry only a digest). */
export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("auth.errorPage");
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center px-4 py-16 text-center">
      <Brand />
      <h1 className="mt-8 text-2xl font-semibold tracking-tight">{t("heading")}</h1>
      <p className="mt-2 text-muted">{t("body")}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <button type="button" onClick={() => retry()} className={buttonClasses("primary")}>
          {t("retry")}
        </button>
        {/* A full page load, not a client navigation: the app's state may be what failed. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/" className={buttonClasses("secondary")}>
          {t("startPage")}
        </a>
      </div>
    </main>
  );
}
