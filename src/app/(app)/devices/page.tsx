import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireSession } from "@/server/auth/current-session";
import { configuredIdentityProviders } from "@/server/auth/providers/oidc";
import { getServices } from "@/server/services";
import { BulkLogOut } from "./bulk-log-out";
import { DeviceFeedbackMessage, DeviceFeedbackProvider } from "./device-feedback";
import { DeviceRow } from "./device-row";
import { signInMethodLabel } from "./sign-in-method";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("devices"))("title") };
}

export const dynamic = "force-dynamic";

export default async function DevicesPage() {
  const session = await requireSession();
  const { engine, env } = await getServices();
  const providerNames = Object.fromEntries(configuredIdentityProviders(env).map((p) => [p.id, p.name]));
  const sessions = await engine.listSessions(session.claims);
  const t = await getTranslations("devices");
  const methodWords = {
    password: t("method.password"),
    passwordAndCode: t("method.passwordAndCode"),
    passkey: t("method.passkey"),
  };
  const now = new Date();
  const hasOthers = sessions.some((view) => !view.current);

  return (
    <DeviceFeedbackProvider>
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>

      <ul
        aria-label={t("listLabel")}
        className="mt-6 divide-y divide-line rounded-xl border border-line bg-surface shadow-sm"
      >
        {sessions.map((view) => (
          <DeviceRow
            key={view.id}
            session={view}
            now={now}
            signInMethod={signInMethodLabel(view, providerNames, methodWords)}
          />
        ))}
      </ul>
      {hasOthers ? null : <p className="mt-3 text-sm text-muted">{t("onlyDevice")}</p>}
      {/* Below the list: the row that ran an action may be gone, its message stays here. */}
      <DeviceFeedbackMessage className="mt-3" />

      <section aria-labelledby="end-sessions" className="mt-8">
        <h2 id="end-sessions" className="text-base font-semibold">
          {t("endSessions")}
        </h2>
        <div className="mt-3 divide-y divide-line rounded-xl border border-line bg-surface shadow-sm">
          {hasOthers ? <BulkLogOut kind="others" /> : null}
          <BulkLogOut kind="everywhere" />
        </div>
      </section>
    </DeviceFeedbackProvider>
  );
}
