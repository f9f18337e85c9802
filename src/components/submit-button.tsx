"use client";

import type { ButtonHTMLAttributes, ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { buttonClasses, type ButtonVariant } from "./button-styles";
import { useHydrated } from "./use-hydrated";

interface SubmitButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type" | "children"> {
  children: ReactNode;
  /** Shown (and the button disabled) while the enclosing form's action runs, e.g. "Signing in…". */
  pendingLabel: ReactNode;
  variant?: ButtonVariant;
  /** Forces the pending look, e.g. while the page navigates after a successful action. */
  pending?: boolean;
  /**
   * The form also works as a plain HTML post (a server action taking only its form, like the
   * header's "Sign out"). Any other form needs the page's scripts, and its button stays disabled until
   * they have run (`useHydrated`): a click is not lost, Enter in a field sends nothing half-made.
   */
  worksWithoutScripts?: boolean;
}

export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  pending,
  worksWithoutScripts = false,
  disabled,
  className = "",
  ...rest
}: SubmitButtonProps) {
  const status = useFormStatus();
  const busy = status.pending || pending === true;
  const hydrated = useHydrated();
  return (
    <button
      type="submit"
      disabled={busy || disabled || (!worksWithoutScripts && !hydrated)}
      aria-busy={busy || undefined}
      className={buttonClasses(variant, className)}
      {...rest}
    >
      {busy ? pendingLabel : children}
    </button>
  );
}
