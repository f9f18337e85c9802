"use client";

import { type RefObject, useEffect } from "react";

/**
 * After a failed submit, moves keyboard focus to the first field marked aria-invalid, or else to
 * `fallbackId` (e.g. the password after "Wrong email or password."): the submit button was
 * disabled while pending, so focus would otherwise be lost to <body>.
 */
export function useFocusFirstInvalid(
  formRef: RefObject<HTMLFormElement | null>,
  state: { status: string },
  fallbackId?: string,
): void {
  useEffect(() => {
    if (state.status === "idle" || state.status === "success") return;
    const form = formRef.current;
    const target =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      (fallbackId ? form?.querySelector<HTMLElement>(`#${fallbackId}`) : null);
    target?.focus();
  }, [formRef, state, fallbackId]);
}
