import type { Metadata } from "next";
import { Notice } from "@/components/notice";
import { safeCallbackUrl } from "@/components/safe-callback-url";
import { TextLink } from "@/components/text-link";
import type { SignedOutReason } from "@/server/auth/current-session";
import { IdentitySignInOptions } from "./identity-sign-in-options";
import { LoginForm } from "./login-form";
import { PasskeySignIn } from "./passkey-sign-in";

export const metadata: Metadata = { title: "Sign in" };

const REASONS: Record<SignedOutReason, string> = {
  revoked: "This device was signed out from another device. Please sign in again.",
  expired: "Your session expired and you were signed out. Please sign in again.",
  logout: "You have signed out.",
  everywhere: "You signed out on all your devices.",
  admin: "An administrator signed this device out. Please sign in again.",
  disabled: "This account has been disabled by an administrator.",
  session_limit:
    "This device was signed out because your account signed in on another device and has reached its maximum number of devices.",
  password_reset: "Your password was reset and every device was signed out. Sign in with the new password.",
  account_deleted: "Your account was deleted and every device was signed out.",
};

function reasonNotice(value: string | string[] | undefined): string | null {
  return typeof value === "string" && Object.hasOwn(REASONS, value) ? REASONS[value as SignedOutReason] : null;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const notice = reasonNotice(params.reason);
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-sm text-muted">Welcome back. Sign in to manage your devices.</p>
      {notice ? (
        <Notice tone="info" className="mt-4">
          {notice}
        </Notice>
      ) : null}
      <LoginForm callbackUrl={safeCallbackUrl(params.callbackUrl)} />
      <PasskeySignIn callbackUrl={safeCallbackUrl(params.callbackUrl)} />
      <IdentitySignInOptions callbackUrl={safeCallbackUrl(params.callbackUrl)} error={params.error} />
      <p className="mt-4 text-center text-sm">
        <TextLink href="/forgot-password">Forgot password?</TextLink>
      </p>
      <p className="mt-4 text-center text-sm text-muted">
        New here? <TextLink href="/register">Create an account</TextLink>
      </p>
    </>
  );
}
