"use client";

import { useTranslations } from "next-intl";
import { SubmitButton } from "./submit-button";

/** The header's submit button; lives inside `<form action={signOutAction}>`, which works before scripts run. */
export function SignOutButton() {
  const t = useTranslations("shell.signOut");
  return (
    <SubmitButton variant="secondary" worksWithoutScripts pendingLabel={t("pending")} className="min-h-9 px-3 py-1.5">
      {t("label")}
    </SubmitButton>
  );
}
