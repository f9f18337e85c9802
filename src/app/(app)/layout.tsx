import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { SessionWatcher } from "@/components/session-watcher";
import { SiteHeader } from "@/components/site-header";
import { UnverifiedEmailBanner } from "@/components/unverified-email-banner";
import { requireSession } from "@/server/auth/current-session";
import { chooseLanguageAction } from "../language-actions";
import { resendVerificationAction, signOutAction } from "./actions";

// Every page below reads the request's session.
export const dynamic = "force-dynamic";

/**
 * Chrome of the signed-in pages. The check here only picks what to render: it is not the security
 * boundary (layouts do not re-run on every navigation), so each page calls requireSession() too.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const { user } = await requireSession();
  const t = await getTranslations("shell");
  return (
    <>
      <a
        href="#main"
        className="sr-only rounded-md bg-surface px-3 py-2 text-sm font-medium text-accent shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50"
      >
        {t("skipToContent")}
      </a>
      <SiteHeader email={user.email} signOutAction={signOutAction} languageAction={chooseLanguageAction} />
      {user.emailVerified ? null : <UnverifiedEmailBanner email={user.email} resendAction={resendVerificationAction} />}
      <main id="main" className="mx-auto max-w-4xl px-4 py-8 sm:py-10">
        {children}
      </main>
      <SessionWatcher />
    </>
  );
}
