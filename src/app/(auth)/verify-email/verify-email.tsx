"use client";

import { useTranslations } from "next-intl";
import { startTransition, useActionState, useEffect, useRef } from "react";
import { Notice } from "@/components/notice";
import { TextLink } from "@/components/text-link";
import { useLinkToken } from "@/components/use-link-token";
import { verifyEmailAction, type VerifyEmailState } from "./actions";

const INITIAL: VerifyEmailState = { status: "idle" };

/**
 * Reads the link's token (and takes it out of the address bar), then uses it at once through a
 * server action: a POST, which a mail scanner fetching the link never makes.
 */
export function VerifyEmail() {
  const t = useTranslations("auth");
  const token = useLinkToken();
  const [state, verify, pending] = useActionState(verifyEmailAction, INITIAL);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true; // once: the token is single use (and React may run effects twice)
    const form = new FormData();
    form.set("token", token);
    startTransition(() => verify(form));
  }, [token, verify]);

  if (token === null) return <DeadLink message={t("link.noToken")} />;
  if (state.status === "idle" || pending) {
    return (
      <p role="status" className="mt-6 text-sm text-fg-soft">
        {t("verifyEmail.verifying")}
      </p>
    );
  }
  if (state.status === "error") {
    return state.reason === "dead_link" ? (
      <DeadLink message={state.message} />
    ) : (
      <Notice tone="error" className="mt-6">
        {state.message}
      </Notice>
    );
  }
  return (
    <>
      <Notice tone="success" className="mt-6">
        <p className="font-medium">{t("verifyEmail.verified")}</p>
        <p className="mt-1">
          {t(state.changed ? "verifyEmail.changed" : "verifyEmail.confirmed", { email: state.email })}
        </p>
      </Notice>
      <p className="mt-6 text-center text-sm">
        {state.signedIn ? (
          <TextLink href="/devices">{t("verifyEmail.continueToDevices")}</TextLink>
        ) : (
          <TextLink href="/login">{t("signIn")}</TextLink>
        )}
      </p>
    </>
  );
}

function DeadLink({ message }: { message: string }) {
  const t = useTranslations("auth.verifyEmail");
  return (
    <Notice tone="error" className="mt-6">
      {t.rich("deadLink", { message, link: (chunks) => <TextLink href="/login">{chunks}</TextLink> })}
    </Notice>
  );
}
