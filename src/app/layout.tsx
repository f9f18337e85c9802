import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { browserMessagesFor } from "@/i18n/catalogues";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return {
    title: { default: t("appName"), template: t("titleTemplate", { title: "%s" }) },
    description: t("description"),
  };
}

// Every page is rendered per request: the proxy's CSP nonce must reach Next's inline scripts.
export const dynamic = "force-dynamic";

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020618" },
  ],
};

/** `<html lang>` is the language the page is in; the browser gets that language's messages. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-canvas font-sans text-fg antialiased">
        <NextIntlClientProvider messages={browserMessagesFor(locale)}>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
