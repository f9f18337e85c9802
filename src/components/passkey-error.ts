"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";

/** Why the browser's passkey ceremony failed, as the catalogue key (auth.passkey.*) of its message. */
export function passkeyCeremonyFailure(error: unknown, ceremony: "sign-in" | "registration") {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") {
    return ceremony === "sign-in" ? "signInCancelled" : "registrationCancelled";
  }
  if (name === "InvalidStateError" && ceremony === "registration") return "alreadyRegistered";
  if (name === "NotSupportedError" || (typeof window !== "undefined" && !window.PublicKeyCredential)) {
    return "unsupported";
  }
  return ceremony === "sign-in" ? "signInFailed" : "registrationFailed";
}

/**
 * What a person reads when the browser's passkey ceremony fails (@simplewebauthn/browser keeps the
 * DOMException's name): cancelled or timed out, not supported, or something else, in their language.
 * `const passkeyCeremonyError = usePasskeyCeremonyError(); passkeyCeremonyError(error, "sign-in")`.
 */
export function usePasskeyCeremonyError(): (error: unknown, ceremony: "sign-in" | "registration") => string {
  const t = useTranslations("auth.passkey");
  return useCallback((error, ceremony) => t(passkeyCeremonyFailure(error, ceremony)), [t]);
}

/** The readable message of one of our JSON error answers (in the language the request asked for), or `fallback`. */
export async function apiErrorMessage(res: Response, fallback: string): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error_description?: unknown } | null;
  return typeof body?.error_description === "string" ? body.error_description : fallback;
}
