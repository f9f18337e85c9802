import type { AccessClaims } from "./access-claims";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import type { RequestContext, TokenPair } from "./session-engine";

/** What an identity provider (OpenID Connect) said about the person who signed in there. */
export interface ExternalIdentity {
  /** The provider's id in this app ("oidc", "github"): stored, and the session's sign-in method. */
  provider: string;
  /** The provider's name for people ("Acme SSO", "GitHub"): in emails and the activity. */
  providerName: string;
  /** The provider's stable id of the person (`sub`). */
  subject: string;
  email: string | null;
  /** The provider vouches for `email`. An unverified email never links or verifies anything. */
  emailVerified: boolean;
  name: string | null;
}

/** A connected identity as its owner sees it on the security page. */
export interface IdentityView {
  provider: string;
  email: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The engine's verbs for sign-in through identity providers (OpenID Connect, GitHub). */
export interface IdentityVerbs {
  listIdentities(claims: AccessClaims): Promise<IdentityView[]>;
  /**
   * Signs in with a provider's identity: the linked account, or a new account (no password) when
   * no account has that email. An identity whose email belongs to an account it is not linked to is
   * refused (`conflict`): the owner signs in as usual and connects it from the security page. The
   * device session's method is the provider, its `amr` ["fed"].
   */
  signInWithIdentity(identity: ExternalIdentity, context: RequestContext): Promise<TokenPair>;
  /** Links the identity to the caller's account (re-authentication applies); `conflict` if it is linked elsewhere. */
  linkIdentity(claims: AccessClaims, identity: ExternalIdentity, context: RequestContext): Promise<void>;
  /** Unlinks the caller's identity of `provider` (re-authentication applies); `conflict` if it is the last way in. */
  unlinkIdentity(claims: AccessClaims, provider: string, context: RequestContext): Promise<void>;
}

export function createIdentityVerbs(_deps: EngineDeps, _parts: EngineParts): IdentityVerbs {
  const notYet = async (): Promise<never> => {
    throw new Error("Identity providers are not built yet.");
  };
  return {
    listIdentities: async () => [],
    signInWithIdentity: notYet,
    linkIdentity: notYet,
    unlinkIdentity: notYet,
  };
}
