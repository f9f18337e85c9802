import { getTranslations } from "next-intl/server";
import type { CurrentSession } from "@/server/auth/current-session";
import { getServices } from "@/server/services";
import { TwoFactorPanel } from "./two-factor-panel";

/** Two-factor authentication (TOTP): set it up, see how many recovery codes are left, replace them, turn it off. */
export async function TwoFactorSection({ session }: { session: CurrentSession }) {
  const { engine } = await getServices();
  const status = await engine.twoFactorStatus(session.claims);
  const t = await getTranslations("security.twoFactor");
  return (
    <section
      aria-labelledby="two-factor-heading"
      className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm"
    >
      <h2 id="two-factor-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <TwoFactorPanel enabled={status.enabled} recoveryCodesLeft={status.recoveryCodesLeft} />
    </section>
  );
}
