import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireSession } from "@/server/auth/current-session";
import { ConnectedAccountsSection } from "./connected-accounts-section";
import { PasskeysSection } from "./passkeys-section";
import { TwoFactorSection } from "./two-factor-section";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("security"))("title") };
}

export const dynamic = "force-dynamic";

/** How the account can be signed in to: a second factor, passkeys, identity providers. */
export default async function SecurityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const session = await requireSession("/settings/security");
  const t = await getTranslations("security");
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted">{t("intro")}</p>
      <TwoFactorSection session={session} />
      <PasskeysSection session={session} />
      <ConnectedAccountsSection session={session} searchParams={searchParams} />
    </div>
  );
}
