import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { AccessClaims } from "./access-claims";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import type { RequestContext, TokenPair } from "./session-engine";

/** A passkey as its owner sees it on the security page. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The engine's verbs for passkeys (WebAuthn, discoverable credentials). */
export interface PasskeyVerbs {
  listPasskeys(claims: AccessClaims): Promise<PasskeyView[]>;
  /** Options for `navigator.credentials.create` (re-authentication applies); the challenge is single use and short-lived. */
  passkeyRegistrationOptions(
    claims: AccessClaims,
    input: { password?: string },
    context: RequestContext,
  ): Promise<PublicKeyCredentialCreationOptionsJSON>;
  /** Verifies the authenticator's answer (challenge, origin, RP id) and stores the passkey under `name`. */
  addPasskey(
    claims: AccessClaims,
    input: { name: string; response: RegistrationResponseJSON },
    context: RequestContext,
  ): Promise<PasskeyView>;
  /** Removes one of the caller's passkeys (re-authentication applies); `conflict` if it is the last way in. */
  removePasskey(
    claims: AccessClaims,
    passkeyId: string,
    input: { password?: string },
    context: RequestContext,
  ): Promise<void>;
  /** Options for `navigator.credentials.get` with no account named (discoverable credentials). */
  passkeySignInOptions(context: RequestContext): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /**
   * Verifies an assertion (challenge, origin, RP id, user verification, counter) and makes a
   * device session like a password sign-in (`amr` ["hwk", "user"]); it satisfies re-authentication.
   */
  signInWithPasskey(
    input: { response: AuthenticationResponseJSON; deviceName?: string },
    context: RequestContext,
  ): Promise<TokenPair>;
}

export function createPasskeyVerbs(_deps: EngineDeps, _parts: EngineParts): PasskeyVerbs {
  const notYet = async (): Promise<never> => {
    throw new Error("Passkeys are not built yet.");
  };
  return {
    listPasskeys: async () => [],
    passkeyRegistrationOptions: notYet,
    addPasskey: notYet,
    removePasskey: notYet,
    passkeySignInOptions: notYet,
    signInWithPasskey: notYet,
  };
}
