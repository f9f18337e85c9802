/**
 * What a person reads when the browser's passkey ceremony fails (@simplewebauthn/browser keeps the
 * DOMException's name): cancelled or timed out, not supported, or something else.
 */
export function passkeyCeremonyError(error: unknown, ceremony: "sign-in" | "registration"): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") {
    return ceremony === "sign-in"
      ? "The passkey sign-in was cancelled or timed out. Please try again."
      : "Adding the passkey was cancelled or timed out. Please try again.";
  }
  if (name === "InvalidStateError" && ceremony === "registration") {
    return "This device already has a passkey for your account.";
  }
  if (name === "NotSupportedError" || (typeof window !== "undefined" && !window.PublicKeyCredential)) {
    return "This browser does not support passkeys.";
  }
  return ceremony === "sign-in"
    ? "The passkey could not be used. Please try again."
    : "The passkey could not be created. Please try again.";
}

/** The readable message of one of our JSON error answers, or `fallback`. */
export async function apiErrorMessage(res: Response, fallback: string): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error_description?: unknown } | null;
  return typeof body?.error_description === "string" ? body.error_description : fallback;
}
