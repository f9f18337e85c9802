import type { SessionView } from "@/core/session-views";

/** The words for the ways in that are not an identity provider (the `devices.method` messages). */
export interface SignInMethodWords {
  password: string;
  passwordAndCode: string;
  passkey: string;
}

/**
 * How a device signed in, in words: "Password" (with "+ code" when a second factor was given),
 * "Passkey", or the identity provider's name ("Acme SSO", "GitHub"; its id when it is no longer
 * configured).
 */
export function signInMethodLabel(
  session: Pick<SessionView, "signInMethod" | "amr">,
  providerNames: Readonly<Record<string, string>>,
  words: SignInMethodWords,
): string {
  switch (session.signInMethod) {
    case "password":
      return session.amr.includes("otp") || session.amr.includes("mfa") ? words.passwordAndCode : words.password;
    case "passkey":
      return words.passkey;
    default:
      return Object.hasOwn(providerNames, session.signInMethod)
        ? providerNames[session.signInMethod]!
        : session.signInMethod;
  }
}
