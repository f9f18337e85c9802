"use client";

import { useTranslations } from "next-intl";
import type { ComponentProps } from "react";
import { FormField } from "@/components/form-field";

/**
 * "Your password", asked again before a change to the ways in (two-factor, passkeys, connected
 * accounts) when the sign-in is not recent. One field for the whole Security page: same name, label
 * and autocomplete; each form says whether it is required or optional and adds its own hint.
 */
export function PasswordAgainField({
  className = "mt-3",
  ...props
}: Omit<ComponentProps<typeof FormField>, "name" | "label" | "type" | "autoComplete">) {
  const t = useTranslations("security");
  return (
    <FormField
      name="password"
      label={t("password")}
      type="password"
      autoComplete="current-password"
      className={className}
      {...props}
    />
  );
}
