import type { AccessClaims } from "./access-claims";
import { logAuthEvent } from "./auth-events-log";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import { AuthError, invalidToken } from "./errors";
import { newUserId } from "./ids";
import type { IdentityRecord, UserRecord } from "./ports";
import type { RequestContext, TokenPair } from "./session-engine";
import { emailSchema } from "./validation";
import { engineText } from "./messages";

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

/** Which provider to disconnect, and the proof of a recent sign-in. */
export interface UnlinkIdentityInput {
  provider: string;
  /** The provider's name for people, for the mail ("Acme SSO"); the id when unknown. */
  providerName: string;
  /** The account's password; without it the access token's `auth_time` must be recent. */
  password?: string;
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
  /**
   * Before a browser leaves for the provider to connect an identity: the re-authentication rule (the
   * password, or a recent sign-in). Answers when (ms) the holder last proved who they are, which
   * `linkIdentity` is given back when the provider returns.
   */
  authorizeLink(claims: AccessClaims, password: string | undefined, context: RequestContext): Promise<number>;
  /**
   * Links the identity to the caller's account; `conflict` if it is linked elsewhere or the account
   * has one of that provider. Re-authentication applies: `reauthenticatedAtMs` (from `authorizeLink`)
   * or the token's `auth_time` must be at most `reauthMaxAgeSeconds` old.
   */
  linkIdentity(
    claims: AccessClaims,
    identity: ExternalIdentity,
    context: RequestContext,
    reauthenticatedAtMs?: number,
  ): Promise<void>;
  /** Unlinks the caller's identity of `provider` (re-authentication applies); `conflict` if it is the last way in. */
  unlinkIdentity(claims: AccessClaims, input: UnlinkIdentityInput, context: RequestContext): Promise<void>;
}

/** The message of an identity whose email belongs to an account it is not linked to. */
export function notLinkedMessage(providerName: string): string {
  return engineText("identity.notLinked", { provider: providerName });
}

export function createIdentityVerbs(
  deps: EngineDeps,
  parts: EngineParts & {
    /** The first verification link of a new account (account-verbs.ts), when its email is not verified. */
    sendFirstVerification?: (user: UserRecord) => Promise<void>;
  },
): IdentityVerbs {
  const { users, signInMethods, clock, logger, config } = deps;
  const { fanout, reauthenticate, startSession, announce } = parts;

  /** The event (its reason: the provider's name as it was then) and the mail about it. */
  function recordChange(
    claims: AccessClaims,
    user: UserRecord,
    change: "identity_linked" | "identity_unlinked",
    providerName: string,
    context: RequestContext,
  ): Promise<void> {
    return announce(
      user,
      change,
      {
        sessionId: null,
        reason: providerName,
        actorSessionId: claims.sid,
        ip: context.ip,
        userAgent: context.userAgent,
      },
      { detail: providerName },
    );
  }

  /** The provider's email, normalised like every email here; null when it has none (or not a usable one). */
  function emailOf(identity: ExternalIdentity): string | null {
    const parsed = emailSchema.safeParse(identity.email ?? "");
    return parsed.success ? parsed.data : null;
  }

  function refused(identity: ExternalIdentity, context: RequestContext, reason: string, error: AuthError): never {
    logAuthEvent(logger, "sign_in_failed", { ip: context.ip, reason: `${identity.provider}: ${reason}` });
    throw error;
  }

  return {
    async listIdentities(claims) {
      const rows = await signInMethods.listIdentities(claims.sub);
      return rows.map((row) => ({
        provider: row.provider,
        email: row.email,
        createdAt: row.createdAt.toISOString(),
        lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      }));
    },

    async signInWithIdentity(identity, context) {
      const now = new Date(clock());
      const known = await signInMethods.findIdentity(identity.provider, identity.subject);
      if (known) {
        const user = await users.findById(known.userId);
        if (!user) throw new AuthError("invalid_grant", engineText("account.gone"));
        const pair = await startSession(user, { method: identity.provider, amr: ["fed"] }, context);
        await signInMethods.recordIdentityUse(identity.provider, identity.subject, now);
        return pair;
      }
      const email = emailOf(identity);
      if (!email)
        refused(
          identity,
          context,
          "identity_without_email",
          new AuthError("invalid_request", engineText("identity.noEmail", { provider: identity.providerName })),
        );
      // An account with this email, verified at the provider or not, is never linked silently: whoever
      // controls the provider's account may not be who owns ours.
      if (await users.findByEmail(email))
        refused(
          identity,
          context,
          "identity_not_linked",
          new AuthError("conflict", notLinkedMessage(identity.providerName)),
        );
      const record: IdentityRecord = {
        provider: identity.provider,
        subject: identity.subject,
        userId: newUserId(),
        email,
        createdAt: now,
        lastUsedAt: now,
      };
      const user = await signInMethods.createUserWithIdentity(
        {
          id: record.userId,
          email,
          name: identity.name?.trim().slice(0, 100) || null,
          emailVerifiedAt: identity.emailVerified ? now : null,
          locale: context.locale,
        },
        record,
      );
      // Taken meanwhile (a registration, or the same identity signing in twice at once).
      if (!user) throw new AuthError("conflict", notLinkedMessage(identity.providerName));
      await fanout.audit([{ userId: user.id, sessionId: null, type: "user_registered", ip: context.ip }]);
      if (!user.emailVerifiedAt) await parts.sendFirstVerification?.(user);
      return startSession(user, { method: identity.provider, amr: ["fed"] }, context);
    },

    async authorizeLink(claims, password, context) {
      await reauthenticate(claims, password, context);
      return password === undefined ? claims.auth_time * 1000 : clock();
    },

    async linkIdentity(claims, identity, context, reauthenticatedAtMs) {
      const recent =
        reauthenticatedAtMs !== undefined &&
        clock() - reauthenticatedAtMs <= config.reauthMaxAgeSeconds * 1000 &&
        reauthenticatedAtMs <= clock() + 60_000;
      const user = recent ? await users.findById(claims.sub) : await reauthenticate(claims, undefined, context);
      if (!user) throw invalidToken("revoked");
      const now = new Date(clock());
      const result = await signInMethods.linkIdentity({
        provider: identity.provider,
        subject: identity.subject,
        userId: user.id,
        email: emailOf(identity),
        createdAt: now,
        lastUsedAt: null,
      });
      if (result === "taken") {
        const existing = await signInMethods.findIdentity(identity.provider, identity.subject);
        throw new AuthError(
          "conflict",
          existing?.userId === user.id
            ? engineText("identity.alreadyConnected", { provider: identity.providerName })
            : existing
              ? engineText("identity.connectedElsewhere", { provider: identity.providerName })
              : engineText("identity.otherConnected", { provider: identity.providerName }),
        );
      }
      await recordChange(claims, user, "identity_linked", identity.providerName, context);
    },

    async unlinkIdentity(claims, input, context) {
      const user = await reauthenticate(claims, input.password, context);
      const result = await signInMethods.removeWayIn(user.id, { kind: "identity", provider: input.provider });
      if (result === "not_found")
        throw new AuthError("not_found", engineText("identity.notConnected", { provider: input.providerName }));
      if (result === "last_way_in")
        throw new AuthError("conflict", engineText("identity.lastWayIn", { provider: input.providerName }));
      await recordChange(claims, user, "identity_unlinked", input.providerName, context);
    },
  };
}
