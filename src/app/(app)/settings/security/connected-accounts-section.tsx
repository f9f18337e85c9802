import { getTranslations } from "next-intl/server";
import { Notice } from "@/components/notice";
import { getTimeFormat } from "@/components/relative-time";
import type { CurrentSession } from "@/server/auth/current-session";
import type { ConnectError } from "@/server/auth/providers/identity-sign-in";
import { configuredIdentityProviders } from "@/server/auth/providers/oidc";
import { getServices } from "@/server/services";
import { ConnectForm, DisconnectForm } from "./connected-forms";

const CONNECT_ERRORS: ReadonlySet<string> = new Set<ConnectError>(["taken", "reauth", "expired", "failed"]);

/**
 * "Connected accounts": the identity providers this app is configured with, each connected (with
 * its email, when it was connected and last used, and "Disconnect") or not ("Connect <name>").
 */
export async function ConnectedAccountsSection({
  session,
  searchParams,
}: {
  session: CurrentSession;
  /** `connected` / `connect_error`, set by the provider's callback; `disconnected`, by the action. */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { connected, disconnected, connect_error: connectError } = await searchParams;
  const { env, engine } = await getServices();
  const providers = configuredIdentityProviders(env);
  if (providers.length === 0) return null;
  const identities = await engine.listIdentities(session.claims);
  const [t, time] = await Promise.all([getTranslations("security.connected"), getTimeFormat()]);
  const justConnected = providers.find((p) => p.id === connected);
  const justDisconnected = providers.find((p) => p.id === disconnected);
  const error =
    typeof connectError === "string" && CONNECT_ERRORS.has(connectError)
      ? t(`errors.${connectError as ConnectError}`)
      : null;
  return (
    <section
      id="connected-accounts"
      aria-labelledby="connected-accounts-heading"
      className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm"
    >
      <h2 id="connected-accounts-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <p className="mt-1 text-sm text-muted">{t("intro", { minutes: Math.round(env.REAUTH_MAX_AGE_SECONDS / 60) })}</p>
      {justConnected ? (
        <Notice tone="success" className="mt-4">
          {t("justConnected", { name: justConnected.name })}
        </Notice>
      ) : null}
      {justDisconnected ? (
        <Notice tone="success" className="mt-4">
          {t("justDisconnected", { name: justDisconnected.name })}
        </Notice>
      ) : null}
      {error ? (
        <Notice tone="error" className="mt-4">
          {error}
        </Notice>
      ) : null}
      <ul className="mt-4 divide-y divide-line" aria-label={t("listLabel")}>
        {providers.map((provider) => {
          const identity = identities.find((i) => i.provider === provider.id);
          return (
            <li key={provider.id} className="py-4 first:pt-0 last:pb-0">
              <p id={`provider-${provider.id}`} className="font-medium text-fg">
                {provider.name}
                <span className="ml-2 text-sm font-normal text-muted">
                  {t(identity ? "isConnected" : "notConnected")}
                </span>
              </p>
              {identity ? (
                <>
                  <p className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-muted">
                    {identity.email ? <span className="break-all">{identity.email}</span> : null}
                    <span>
                      {t.rich("connectedAt", {
                        when: time.dateTime(identity.createdAt),
                        time: (chunks) => <time dateTime={identity.createdAt}>{chunks}</time>,
                      })}
                    </span>
                    <span>
                      {identity.lastUsedAt
                        ? t.rich("lastUsed", {
                            when: time.dateTime(identity.lastUsedAt),
                            time: (chunks) => <time dateTime={identity.lastUsedAt!}>{chunks}</time>,
                          })
                        : t("neverUsed")}
                    </span>
                  </p>
                  <DisconnectForm provider={provider.id} name={provider.name} />
                </>
              ) : (
                <ConnectForm provider={provider.id} name={provider.name} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
