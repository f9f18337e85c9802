"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { buttonClasses } from "@/components/button-styles";
import { MessageSlot, Notice } from "@/components/notice";
import { useHydrated } from "@/components/use-hydrated";

/**
 * "Continue with <provider>": next-auth's own sign-in (its CSRF token, then a POST) sends the
 * browser to the provider; the provider sends it back to /api/auth/callback/<id>.
 */
export function ContinueWithButton({
  provider,
  name,
  callbackUrl,
  label,
  variant = "secondary",
}: {
  provider: string;
  name: string;
  callbackUrl: string;
  /** The button's text; "Continue with <name>" when not given. */
  label?: string;
  variant?: "primary" | "secondary";
}) {
  const t = useTranslations("auth");
  const hydrated = useHydrated();
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  async function start() {
    setState("busy");
    try {
      await signIn(provider, { callbackUrl });
    } catch {
      setState("failed");
    }
  }
  return (
    <div>
      <button
        type="button"
        onClick={start}
        disabled={state === "busy" || !hydrated}
        aria-busy={state === "busy" || undefined}
        className={buttonClasses(variant, "w-full")}
      >
        {state === "busy" ? t("identity.opening", { name }) : (label ?? t("identity.continueWith", { name }))}
      </button>
      <MessageSlot className="mt-1">
        {state === "failed" ? (
          <Notice variant="inline" tone="error">
            {t("offline")}
          </Notice>
        ) : null}
      </MessageSlot>
    </div>
  );
}
