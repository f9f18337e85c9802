import { getTranslations } from "next-intl/server";
import { getTimeFormat } from "@/components/relative-time";
import { isRecentAuthentication } from "@/core/reauthentication";
import type { CurrentSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";
import { PasskeyAddForm } from "./passkey-add-form";
import { PasskeyRemoveButton } from "./passkey-remove-button";

/**
 * The account's passkeys (name, created, last used), "Add a passkey" and "Remove". Both changes
 * need a recent sign-in (a passkey sign-in counts) or the password: the field is shown only when
 * the sign-in is older than REAUTH_MAX_AGE_SECONDS, or when the server asks for it.
 */
export async function PasskeysSection({ session }: { session: CurrentSession }) {
  const { engine, config } = await getServices();
  const passkeys = await engine.listPasskeys(session.claims);
  const [t, time] = await Promise.all([getTranslations("security.passkeys"), getTimeFormat()]);
  const askPassword = !isRecentAuthentication(session.claims, new Date().getTime(), config.reauthMaxAgeSeconds);
  return (
    <section aria-labelledby="passkeys-heading" className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm">
      <h2 id="passkeys-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>
      {passkeys.length === 0 ? (
        <p className="mt-4 text-sm text-fg-soft">{t("none")}</p>
      ) : (
        <ul aria-label={t("listLabel")} className="mt-4 divide-y divide-line rounded-lg border border-line">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div className="min-w-0">
                <p className="font-medium break-words text-fg">{passkey.name}</p>
                <p className="text-xs text-muted">
                  {t.rich("created", {
                    when: time.dateTime(passkey.createdAt),
                    time: (chunks) => <time dateTime={passkey.createdAt}>{chunks}</time>,
                  })}
                  {" · "}
                  {passkey.lastUsedAt
                    ? t.rich("lastUsed", {
                        when: time.dateTime(passkey.lastUsedAt),
                        time: (chunks) => <time dateTime={passkey.lastUsedAt!}>{chunks}</time>,
                      })
                    : t("neverUsed")}
                </p>
              </div>
              <PasskeyRemoveButton id={passkey.id} name={passkey.name} askPassword={askPassword} />
            </li>
          ))}
        </ul>
      )}
      <PasskeyAddForm askPassword={askPassword} />
    </section>
  );
}
