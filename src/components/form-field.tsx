import { useTranslations } from "next-intl";
import type { InputHTMLAttributes, Ref } from "react";

interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  id: string;
  label: string;
  /** The input element (React 19 passes `ref` as a prop). */
  ref?: Ref<HTMLInputElement>;
  /** Field errors; the first few are shown under the input and linked with aria-describedby. */
  errors?: readonly string[];
  hint?: string;
  optional?: boolean;
}

/** Label, input, hint and error text. The error line always takes its height (no layout shift). */
export function FormField({ id, label, errors, hint, optional, className = "", ...input }: FormFieldProps) {
  const t = useTranslations("auth.fields");
  const invalid = errors !== undefined && errors.length > 0;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [optional || hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-fg">
          {label}
        </label>
        {optional && !hint ? (
          <span id={hintId} className="text-xs text-muted">
            {t("optional")}
          </span>
        ) : null}
      </div>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        className={
          "mt-1.5 block w-full rounded-lg border bg-surface px-3 py-2 text-base text-fg shadow-sm placeholder:text-faint " +
          "focus-visible:border-focus sm:text-sm " +
          (invalid ? "border-danger" : "border-field-line")
        }
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-muted">
          {optional ? t("optionalHint", { hint }) : hint}
        </p>
      ) : null}
      <p id={errorId} className="mt-1 min-h-5 text-sm text-danger">
        {invalid ? errors.join(" ") : null}
      </p>
    </div>
  );
}
