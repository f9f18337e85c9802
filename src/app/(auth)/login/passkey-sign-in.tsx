"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClasses } from "@/components/button-styles";
import { FormError } from "@/components/notice";
import { apiErrorMessage, usePasskeyCeremonyError } from "@/components/passkey-error";
import { useHydrated } from "@/components/use-hydrated";
import { useEngineText } from "@/i18n/use-engine-text";

/** The engine's sentence for a passkey it refused, when next-auth passes on none. */
const NOT_VERIFIED = "This passkey could not be verified. Please try again.";

/**
 * "Sign in with a passkey": options from POST /api/auth/passkey/options (no account named: the
 * passkey says whose it is), the browser's ceremony, then next-auth's "passkey" provider, which
 * makes the device session and its cookies.
 */
export function PasskeySignIn({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const t = useTranslations("auth");
  const engineText = useEngineText();
  const passkeyCeremonyError = usePasskeyCeremonyError();
  const hydrated = useHydrated();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signInWithPasskey(): Promise<string | null> {
    let res: Response;
    try {
      res = await fetch("/api/auth/passkey/options", { method: "POST" });
    } catch {
      return t("offline");
    }
    if (!res.ok) return apiErrorMessage(res, t("passkey.unavailable"));
    let response;
    try {
      response = await startAuthentication({ optionsJSON: await res.json() });
    } catch (ceremonyError) {
      return passkeyCeremonyError(ceremonyError, "sign-in");
    }
    try {
      const result = await signIn("passkey", { response: JSON.stringify(response), redirect: false });
      if (!result?.ok || result.error) {
        return engineText(result?.error && result.error !== "CredentialsSignin" ? result.error : NOT_VERIFIED);
      }
    } catch {
      return t("offline");
    }
    router.replace(callbackUrl);
    router.refresh();
    return null;
  }

  async function onClick() {
    setPending(true);
    setError(null);
    const message = await signInWithPasskey();
    setError(message);
    if (message) setPending(false);
  }

  return (
    <div className="mt-4">
      <button
        type="button"
        onClick={onClick}
        disabled={pending || !hydrated}
        aria-busy={pending}
        className={buttonClasses("secondary", "w-full")}
      >
        {pending ? t("passkey.waiting") : t("passkey.signIn")}
      </button>
      <FormError message={error} />
    </div>
  );
}
