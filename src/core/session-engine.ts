import type { AccessClaims } from "./access-claims";
import { logAuthEvent } from "./auth-events-log";
import { createAuthenticator, type Authenticate } from "./authenticate";
import type { EngineDeps } from "./deps";
import { AuthError, invalidGrant } from "./errors";
import { SESSION_ID_PATTERN, newUserId } from "./ids";
import { createSignInRecorder } from "./new-device";
import type { RevocationReason, SessionWithUserEpoch } from "./ports";
import { createPasswordCheck } from "./password-check";
import { createReauthentication } from "./reauthentication";
import { parseRefreshToken } from "./refresh-tokens";
import { createRevocationFanout } from "./revocation-fanout";
import { createPairIssuer, createSessionStarter, ensureEnabled } from "./session-start";
import { createChangeAnnouncer } from "./sign-in-method-changes";
import { endedBecause, isLive, toSessionView, type PublicUser, type SessionView } from "./session-views";
import { createTwoFactorVerbs, type TwoFactorVerbs } from "./two-factor";
import { createPasskeyVerbs, type PasskeyVerbs } from "./passkeys";
import { createIdentityVerbs, type IdentityVerbs } from "./identities";
import type {
  ChangeEmailInput,
  ChangePasswordInput,
  DeleteAccountInput,
  PasswordResetInput,
  PasswordResetRequest,
  RegisterInput,
  SignInInput,
} from "./validation";
import { createAccountVerbs, type EmailConfirmationResult } from "./account-verbs";
import { engineText } from "./messages";

/** Where a request came from, as the edge saw it: shown per device and used by rate limits. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  /**
   * The language the person reads (a tag such as "en" or "zh-CN"), when the edge knows it: an
   * account made by this request remembers it for its mail.
   */
  locale?: string;
}

/** What the token endpoint returns (RFC 6749 §5.1 names are applied at the edge). */
export interface TokenPair {
  accessToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  refreshToken: string;
  sessionId: string;
}

/** Which sessions a logout ends: this device, every other device, or all (an epoch raise). */
export type LogoutScope = "local" | "others" | "global";

/**
 * The session engine's verbs: everything the app, its API and its tools do with accounts, device
 * sessions and tokens. Failures are `AuthError`s (src/core/errors.ts), mapped to HTTP at the edge.
 * Verbs that take `claims` act for the holder of an access token already accepted by `authenticate`.
 */
export interface SessionEngine extends TwoFactorVerbs, PasskeyVerbs, IdentityVerbs {
  /**
   * The per-request check of an access token: signature and expiry locally, then revocation (the
   * store, else the database, else `temporarily_unavailable`). Answers the token's claims.
   */
  authenticate: Authenticate;

  /** Creates an account (`email_taken` if the email is in use). Does not sign in. */
  register(input: RegisterInput, context?: RequestContext): Promise<PublicUser>;

  /**
   * Email + password to a new device session and its first token pair; `invalid_grant` for wrong
   * credentials or a disabled account (told only after the right password). May sign out the
   * oldest session beyond the per-user limit, and records the sign-in (new device: alert + email).
   * With two-factor sign-in on, no session is made: `mfa_required` carries the token of the second
   * step (`completeSignIn`).
   */
  signIn(input: SignInInput, context: RequestContext): Promise<TokenPair>;

  /**
   * Rotates a refresh token: the session's next pair. Parallel callers within the grace window get
   * the same successor; an older token presented later is reuse and signs that session out.
   * Refused tokens count against the caller's address (`context.ip`), not against the session.
   */
  refresh(refreshToken: string, context?: RequestContext): Promise<TokenPair>;

  /** Who the token belongs to, from its claims (no database read). */
  getUser(claims: AccessClaims): PublicUser;

  /** The caller's live sessions, most recently active first, the caller's own marked `current`. */
  listSessions(claims: AccessClaims): Promise<SessionView[]>;

  /** Signs out one of the caller's sessions (possibly its own); `not_found` if it is not a live one of theirs. */
  revokeSession(claims: AccessClaims, sessionId: string, reason?: RevocationReason): Promise<void>;

  /** Signs out this device, all other devices, or every device (see `LogoutScope`). */
  logout(claims: AccessClaims, scope: LogoutScope): Promise<void>;

  /**
   * Verifies the current password and sets the new one; every other session and every earlier
   * token is refused from now on. Answers a fresh pair for this device, which stays signed in.
   * A wrong current password counts against the account's sign-in failure budget (`rate_limited`
   * once it is spent, as for sign-in).
   */
  changePassword(claims: AccessClaims, input: ChangePasswordInput, context: RequestContext): Promise<TokenPair>;

  /**
   * RFC 7009: signs out the session a refresh or access token belongs to (an expired access token
   * still names it). Unknown, invalid or already revoked tokens are no error: the caller's goal, a
   * dead token, holds.
   */
  revokeToken(token: string): Promise<void>;

  // ---- account recovery, verified email, re-authentication, deletion (src/core/account-verbs.ts)

  /**
   * Mails a password reset link to the account with this email, if there is one; answers the same
   * (and in the same time) either way. Limited per address and per email (`rate_limited`).
   */
  requestPasswordReset(input: PasswordResetRequest, context: RequestContext): Promise<void>;

  /**
   * Uses a reset link's token: sets the new password and raises the epoch (every session and token
   * of the account refused at once, open browsers pushed out), mails a notice. `invalid_grant` for a
   * token that is unknown, used, expired, superseded by a newer link, or older than a password change.
   */
  resetPassword(input: PasswordResetInput, context: RequestContext): Promise<void>;

  /** Uses a verification or email-change link's token; `invalid_grant` when it is not valid. */
  verifyEmail(token: string, context: RequestContext): Promise<EmailConfirmationResult>;

  /** Mails a fresh verification link to the caller's address (limited; nothing when already verified). */
  sendVerificationEmail(claims: AccessClaims): Promise<void>;

  /**
   * Whether the caller's account has a password (one made through an identity provider has none
   * until a reset link sets one): pages ask for it only when there is one to ask for.
   */
  hasPassword(claims: AccessClaims): Promise<boolean>;

  /**
   * Asks to move the account to `newEmail` (re-authentication applies): a link to the new address,
   * a notice to the old one; nothing changes until the link is used. A taken address answers the
   * same and gets no link.
   */
  changeEmail(claims: AccessClaims, input: ChangeEmailInput, context: RequestContext): Promise<void>;

  /**
   * Deletes the account (re-authentication applies): every session and token refused on the next
   * request, open browsers pushed out, every row of the user removed, a goodbye email.
   */
  deleteAccount(claims: AccessClaims, input: DeleteAccountInput, context: RequestContext): Promise<void>;
}

export function createSessionEngine(deps: EngineDeps): SessionEngine {
  const { config, users, sessions, hasher, accessTokens, refreshTokens, clock, logger, rateLimits } = deps;
  const authenticate = createAuthenticator(deps);
  const fanout = createRevocationFanout(deps);
  const recordSignIn = createSignInRecorder(deps, fanout.audit);
  const verifyPasswordOf = createPasswordCheck(deps);
  const reauthenticate = createReauthentication(deps, verifyPasswordOf);
  const issuePair = createPairIssuer(deps);
  const startSession = createSessionStarter(deps, { fanout, recordSignIn, issuePair });
  const announce = createChangeAnnouncer(deps, fanout);
  const shared = { fanout, verifyPasswordOf, reauthenticate, startSession, announce };
  const account = createAccountVerbs(deps, shared);
  const twoFactor = createTwoFactorVerbs(deps, shared);
  const passkeys = createPasskeyVerbs(deps, shared);
  const identities = createIdentityVerbs(deps, { ...shared, sendFirstVerification: account.sendFirstVerification });

  async function revokeEverywhere(userId: string, reason: RevocationReason, actor: string | null): Promise<number> {
    const now = new Date(clock());
    const epoch = await sessions.revokeEverywhere({ userId, reason, revokedBy: actor, now });
    await fanout.epochRaised(userId, epoch, reason, null, {
      userId,
      sessionId: actor,
      type: "session_revoked",
      reason,
      actorSessionId: actor,
    });
    return epoch;
  }

  async function rotate(refreshToken: string): Promise<TokenPair> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) throw invalidGrant();
    const presentedHash = refreshTokens.hash(refreshToken);
    const refreshed = (session: SessionWithUserEpoch, successor: string, nowMs: number) => {
      logAuthEvent(logger, "token_refreshed", { userId: session.userId, sessionId: session.id });
      return issuePair(session, session.epoch, successor, nowMs);
    };
    let counted = false;
    const countForSession = async () => {
      if (!counted) await rateLimits.refreshVerified(parsed.sessionId);
      counted = true;
    };

    for (let attempt = 0; attempt < 2; attempt++) {
      const nowMs = clock();
      const session = await sessions.findById(parsed.sessionId);
      if (!session) throw invalidGrant();
      if (!isLive(session, nowMs)) throw invalidGrant(undefined, endedBecause(session));
      const successor = refreshTokens.successor(refreshToken, session.epoch);
      const successorHash = refreshTokens.hash(successor);

      if (session.refreshHash === presentedHash) {
        await countForSession();
        const rotated = await sessions.rotateRefreshToken({
          id: session.id,
          expectedHash: presentedHash,
          newHash: successorHash,
          now: new Date(nowMs),
          idleExpiresAt: new Date(nowMs + config.sessionIdleTtlSeconds * 1000),
        });
        if (rotated) return refreshed(session, successor, nowMs);
        continue; // someone else rotated (or revoked) in between: look again
      }

      const previous = session.previousRefreshHash === presentedHash;
      if (!previous && !refreshTokens.isGenuine(refreshToken, session.epoch)) throw invalidGrant();
      const inGrace = nowMs - (session.refreshRotatedAt?.getTime() ?? 0) <= config.refreshGraceSeconds * 1000;
      if (previous && inGrace && session.refreshHash === successorHash) {
        await countForSession();
        return refreshed(session, successor, nowMs);
      }
      // An earlier generation inside the grace window of the last rotation: a client that raced
      // through two rotations, or a thief; nothing is handed out, and nobody is signed out.
      if (inGrace) throw invalidGrant();
      await revokeReusedSession(session, nowMs);
      throw invalidGrant(engineText("token.refreshReused"), "revoked");
    }
    throw invalidGrant();
  }

  async function revokeReusedSession(session: SessionWithUserEpoch, nowMs: number): Promise<void> {
    const revoked = await sessions.revoke(session.id, {
      userId: session.userId,
      reason: "refresh_token_reused",
      revokedBy: null,
      now: new Date(nowMs),
    });
    if (!revoked) return;
    await fanout.sessionsRevoked(session.userId, [session.id], "refresh_token_reused", null);
    await fanout.audit([
      { userId: session.userId, sessionId: session.id, type: "refresh_token_reused", reason: "refresh_token_reused" },
    ]);
  }

  return {
    authenticate,

    async register(input: RegisterInput, context?: RequestContext): Promise<PublicUser> {
      await rateLimits.beforeRegister(context?.ip ?? null);
      const passwordHash = await hasher.hash(input.password);
      const user = await users.create({
        id: newUserId(),
        email: input.email,
        name: input.name ?? null,
        passwordHash,
        locale: context?.locale,
      });
      if (!user)
        throw new AuthError("email_taken", engineText("account.emailTaken"), {
          fields: { email: [engineText("account.emailTaken")] },
        });
      await fanout.audit([{ userId: user.id, sessionId: null, type: "user_registered" }]);
      await account.sendFirstVerification(user);
      return { id: user.id, email: user.email, name: user.name, emailVerified: false, twoFactor: false };
    },

    async signIn(input: SignInInput, context: RequestContext): Promise<TokenPair> {
      await rateLimits.beforeSignIn(context.ip);
      const found = await users.findByEmail(input.email);
      const user = await verifyPasswordOf(input.email, found, input.password, context.ip);
      if (!user) {
        logAuthEvent(logger, "sign_in_failed", { userId: found?.id, ip: context.ip, reason: "invalid_credentials" });
        throw new AuthError("invalid_grant", engineText("account.wrongCredentials"));
      }
      ensureEnabled(user, deps, context.ip);
      if (user.twoFactorEnabled) throw await twoFactor.secondStepRequired(user, input.deviceName ?? null);
      return startSession(user, { method: "password", amr: ["pwd"], deviceName: input.deviceName }, context);
    },

    /**
     * Rotation with reuse detection. The compare-and-set decides between concurrent callers; the
     * losers find their token as `previousRefreshHash` with our successor current, and inside the
     * grace window get that same successor. Any other genuine token of the session (an earlier
     * generation, told from a forged one by its tag) is reuse: the session dies (ADR 13).
     * A refused token counts against its sender's address, never against the session.
     */
    async refresh(refreshToken: string, context?: RequestContext): Promise<TokenPair> {
      const ip = context?.ip ?? null;
      await rateLimits.beforeRefresh(ip);
      try {
        return await rotate(refreshToken);
      } catch (error) {
        if (error instanceof AuthError && error.code === "invalid_grant") await rateLimits.refreshFailed(ip);
        throw error;
      }
    },

    getUser(claims: AccessClaims): PublicUser {
      return {
        id: claims.sub,
        email: claims.email,
        name: claims.name,
        emailVerified: claims.email_verified,
        twoFactor: claims.two_factor,
      };
    },

    async listSessions(claims: AccessClaims): Promise<SessionView[]> {
      const rows = await sessions.listActive(claims.sub, new Date(clock()));
      return rows.map((row) => toSessionView(row, claims.sid));
    },

    async revokeSession(
      claims: AccessClaims,
      sessionId: string,
      reason: RevocationReason = "revoked_by_user",
    ): Promise<void> {
      // An id that cannot be a session's (any caller's input: a route, a form) is not looked up.
      const revoked =
        SESSION_ID_PATTERN.test(sessionId) &&
        (await sessions.revoke(sessionId, {
          userId: claims.sub,
          reason,
          revokedBy: claims.sid,
          now: new Date(clock()),
        }));
      if (!revoked) throw new AuthError("not_found", engineText("account.noSuchSession"));
      await fanout.sessionsRevoked(claims.sub, [sessionId], reason, claims.sid);
    },

    async logout(claims: AccessClaims, scope: LogoutScope): Promise<void> {
      if (scope === "global") {
        await revokeEverywhere(claims.sub, "logout_everywhere", claims.sid);
        return;
      }
      if (scope === "others") {
        const ids = await sessions.revokeAllExcept(claims.sid, {
          userId: claims.sub,
          reason: "logout_others",
          revokedBy: claims.sid,
          now: new Date(clock()),
        });
        await fanout.sessionsRevoked(claims.sub, ids, "logout_others", claims.sid);
        return;
      }
      const revoked = await sessions.revoke(claims.sid, {
        userId: claims.sub,
        reason: "logout",
        revokedBy: claims.sid,
        now: new Date(clock()),
      });
      if (revoked) {
        await fanout.sessionsRevoked(claims.sub, [claims.sid], "logout", claims.sid);
      }
    },

    /**
     * Verify, re-hash, raise the epoch and revoke every other session in one transaction; this
     * device moves to the new epoch with a fresh token pair, so it stays signed in.
     */
    async changePassword(
      claims: AccessClaims,
      input: ChangePasswordInput,
      context: RequestContext,
    ): Promise<TokenPair> {
      const found = await users.findById(claims.sub);
      if (found && found.passwordHash === null) {
        // An account made through an identity provider: nothing to check against; a reset link sets one.
        const message = engineText("account.noPasswordYet");
        throw new AuthError("invalid_grant", message, { fields: { currentPassword: [message] } });
      }
      const user = await verifyPasswordOf(found?.email ?? claims.email, found, input.currentPassword, context.ip);
      if (!user) {
        throw new AuthError("invalid_grant", engineText("account.wrongCurrentPassword"), {
          fields: { currentPassword: [engineText("account.wrongCurrentPassword")] },
        });
      }
      const newPasswordHash = await hasher.hash(input.newPassword);
      const refreshToken = refreshTokens.mint(claims.sid, claims.sv + 1); // the epoch the change moves this session to
      const nowMs = clock();
      const result = await sessions.changePassword({
        userId: user.id,
        expectedPasswordHash: user.passwordHash,
        expectedEpoch: claims.sv,
        newPasswordHash,
        currentSessionId: claims.sid,
        newRefreshHash: refreshTokens.hash(refreshToken),
        now: new Date(nowMs),
        idleExpiresAt: new Date(nowMs + config.sessionIdleTtlSeconds * 1000),
      });
      if (!result) throw new AuthError("invalid_grant", engineText("account.changedMeanwhile"));
      await fanout.epochRaised(user.id, result.epoch, "password_change", claims.sid, {
        userId: user.id,
        sessionId: claims.sid,
        type: "password_changed",
        reason: "password_change",
        actorSessionId: claims.sid,
      });
      const session = await sessions.findById(claims.sid);
      if (!session) throw new AuthError("invalid_grant", engineText("account.sessionEnded"));
      return issuePair(session, result.epoch, refreshToken, nowMs);
    },

    async revokeToken(token: string): Promise<void> {
      const nowMs = clock();
      const refresh = parseRefreshToken(token);
      let target: { userId: string; sessionId: string } | null = null;
      if (refresh) {
        const session = await sessions.findById(refresh.sessionId);
        const hash = refreshTokens.hash(token);
        if (session && (session.refreshHash === hash || session.previousRefreshHash === hash)) {
          target = { userId: session.userId, sessionId: session.id };
        }
      } else {
        // An expired access token still proves which session it came from: revoking it is harmless.
        const claims = await accessTokens.verifyAllowingExpiry(token, nowMs).catch(() => null);
        if (claims) target = { userId: claims.sub, sessionId: claims.sid };
      }
      if (!target) return;
      const revoked = await sessions.revoke(target.sessionId, {
        userId: target.userId,
        reason: "logout",
        revokedBy: target.sessionId,
        now: new Date(nowMs),
      });
      if (revoked) {
        await fanout.sessionsRevoked(target.userId, [target.sessionId], "logout", target.sessionId);
      }
    },

    requestPasswordReset: account.requestPasswordReset,
    resetPassword: account.resetPassword,
    verifyEmail: account.verifyEmail,
    sendVerificationEmail: account.sendVerificationEmail,
    hasPassword: account.hasPassword,
    changeEmail: account.changeEmail,
    deleteAccount: account.deleteAccount,
    ...twoFactor.verbs,
    ...passkeys,
    ...identities,
  };
}
