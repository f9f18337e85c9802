import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Notice } from "@/components/notice";
import { safeCallbackUrl } from "@/components/safe-callback-url";
import { TextLink } from "@/components/text-link";
import type { SignedOutReason } from "@/server/auth/current-session";
import { IdentitySignInOptions } from "./identity-sign-in-options";
import { LoginForm } from "./login-form";
import { PasskeySignIn } from "./passkey-sign-in";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("auth.login");
  return { title: t("title") };
}

/** Each `?reason=` the app signs a browser out with, and the notice it reads here. */
const REASONS = {
  revoked: "login.reasons.revoked",
  expired: "login.reasons.expired",
  logout: "login.reasons.logout",
  everywhere: "login.reasons.everywhere",
  admin: "login.reasons.admin",
  disabled: "accountDisabled",
  session_limit: "login.reasons.sessionLimit",
  password_reset: "login.reasons.passwordReset",
  account_deleted: "login.reasons.accountDeleted",
} as const satisfies Record<SignedOutReason, string>;

function reasonKey(value: string | string[] | undefined) {
  return typeof value === "string" && Object.hasOwn(REASONS, value) ? REASONS[value as SignedOutReason] : null;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [params, t] = await Promise.all([searchParams, getTranslations("auth")]);
  const notice = reasonKey(params.reason);
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">{t("login.title")}</h1>
      <p className="mt-1 text-sm text-muted">{t("login.intro")}</p>
      {notice ? (
        <Notice tone="info" className="mt-4">
          {t(notice)}
        </Notice>
      ) : null}
      <LoginForm callbackUrl={callbackUrl} />
      <PasskeySignIn callbackUrl={callbackUrl} />
      <IdentitySignInOptions callbackUrl={callbackUrl} error={params.error} />
      <p className="mt-4 text-center text-sm">
        <TextLink href="/forgot-password">{t("login.forgotPassword")}</TextLink>
      </p>
      <p className="mt-4 text-center text-sm text-muted">
        {t.rich("login.newHere", { link: (chunks) => <TextLink href="/register">{chunks}</TextLink> })}
      </p>
    </>
  );
}
