import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";
import { ChangeEmailForm } from "./change-email-form";
import { DeleteAccountForm } from "./delete-account-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("account"))("title") };
}

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const { user, claims } = await requireSession("/settings/account");
  const { engine, config } = await getServices();
  // An account made through an identity provider has no password to ask for: a recent sign-in decides.
  const passwordless = !(await engine.hasPassword(claims));
  const t = await getTranslations("account");
  const recentSignIn = t("recentSignIn", { minutes: Math.round(config.reauthMaxAgeSeconds / 60) });
  return (
    <div className="max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <section className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm">
        <h2 id="change-email-heading" className="text-lg font-semibold">
          {t("email.heading")}
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">
          {t.rich(user.emailVerified ? "email.current" : "email.currentUnverified", {
            email: user.email,
            address: (chunks) => <span className="font-medium break-all text-fg">{chunks}</span>,
          })}
        </p>
        <ChangeEmailForm passwordless={passwordless ? recentSignIn : null} />
      </section>
      <section className="mt-6 rounded-xl border border-danger-line bg-surface p-6 shadow-sm">
        <h2 id="delete-account-heading" className="text-lg font-semibold text-danger">
          {t("delete.heading")}
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted">{t(passwordless ? "delete.intro" : "delete.introWithPassword")}</p>
        <DeleteAccountForm passwordless={passwordless ? recentSignIn : null} />
      </section>
    </div>
  );
}
