import type { SessionView } from "@/core/session-views";

/**
 * How a device signed in, in words: "Password" (with "+ code" when a second factor was given),
 * "Passkey", or the identity provider's name ("Acme SSO", "GitHub"; its id when it is no longer
 * configured).
 */
export function signInMethodLabel(
  session: Pick<SessionView, "signInMethod" | "amr">,
  providerNames: Readonly<Record<string, string>>,
): string {
  switch (session.signInMethod) {
    case "password":
      return session.amr.includes("otp") || session.amr.includes("mfa") ? "Password + code" : "Password";
    case "passkey":
      return "Passkey";
    default:
      return Object.hasOwn(providerNames, session.signInMethod)
        ? providerNames[session.signInMethod]!
        : session.signInMethod;
  }
}
