"use client";

import type { ButtonHTMLAttributes, ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { buttonClasses, type ButtonVariant } from "./button-styles";

interface SubmitButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "children"> {
  children: ReactNode;
  /** Shown (and the button disabled) while the enclosing form's action runs, e.g. "Signing in…". */
  pendingLabel: ReactNode;
  variant?: ButtonVariant;
  /** Forces the pending look, e.g. while the page navigates after a successful action. */
  pending?: boolean;
}

export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  pending,
  disabled,
  className = "",
  ...rest
}: SubmitButtonProps) {
  const status = useFormStatus();
  const busy = status.pending || pending === true;
  return (
    <button
      type="submit"
      disabled={busy || disabled}
      aria-busy={busy || undefined}
      className={buttonClasses(variant, className)}
      {...rest}
    >
      {busy ? pendingLabel : children}
    </button>
  );
}
