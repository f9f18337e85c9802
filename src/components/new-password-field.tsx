import { useTranslations } from "next-intl";
import { PASSWORD_MIN } from "@/core/validation";
import { FormField } from "./form-field";

/** A field for choosing a password: the same rules hint and autocomplete wherever one is chosen. */
export function NewPasswordField({
  id,
  name,
  label,
  errors,
  className,
}: {
  id: string;
  name: string;
  label: string;
  errors?: string[];
  className?: string;
}) {
  const t = useTranslations("auth.fields");
  return (
    <FormField
      id={id}
      name={name}
      label={label}
      type="password"
      autoComplete="new-password"
      required
      hint={t("passwordHint", { min: PASSWORD_MIN })}
      errors={errors}
      className={className}
    />
  );
}
