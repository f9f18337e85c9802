import type { AccessClaims } from "./access-claims";
import { randomToken, sha256 } from "./crypto";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import { postMail } from "./sign-in-method-changes";
import { AuthError, errorMessage, invalidToken } from "./errors";
import type { AccountMail, AccountTokenPurpose, UserRecord } from "./ports";
import { identifyDevice } from "./new-device";
import type { RequestContext } from "./session-engine";
import type { ChangeEmailInput, DeleteAccountInput, PasswordResetInput, PasswordResetRequest } from "./validation";
import { engineText } from "./messages";

/**
 * Account recovery, verified email and account deletion: the verbs that work through one-time
 * links sent by email, and the irreversible ones that need re-authentication (ADR 15).
 *
 * Link tokens are 32 random bytes (256 bits, base64url), stored as their SHA-256 only, single use,
 * short-lived, bound to the address they were sent to (a change of address kills them), and a newer
 * link of the same kind kills the older one.
 */

/** What using an email link did: the account's address now, and whether the link changed it. */
export interface EmailConfirmationResult {
  userId: string;
  email: string;
  changed: boolean;
}

const LINK_TOKEN_BYTES = 32;
/** 32 bytes in base64url: anything else was not issued here and is not looked up. */
const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Who used (or asked for) a link, for its event: there is no session to name the device. */
function linkUser(context: RequestContext) {
  return { ip: context.ip, userAgent: context.userAgent, device: identifyDevice(context.userAgent).label };
}

function invalidLink(): AuthError {
  return new AuthError("invalid_grant", engineText("link.invalid"));
}

export function createAccountVerbs(deps: EngineDeps, shared: EngineParts) {
  const { config, users, accounts, hasher, clock, logger, rateLimits } = deps;
  const { fanout, reauthenticate } = shared;

  async function issueLink(
    user: UserRecord,
    purpose: AccountTokenPurpose,
    ttlSeconds: number,
    newEmail: string | null = null,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomToken(LINK_TOKEN_BYTES);
    const nowMs = clock();
    const expiresAt = new Date(nowMs + ttlSeconds * 1000);
    await accounts.issueToken({
      userId: user.id,
      purpose,
      tokenHash: sha256(token),
      email: user.email,
      newEmail,
      createdAt: new Date(nowMs),
      expiresAt,
    });
    return { token, expiresAt };
  }

  const post = (mail: AccountMail, userId: string) => postMail(deps, mail, userId);

  /** Work after the answer: so that a request for an existing account takes the time of any other. */
  function afterAnswer(what: string, userId: string, task: () => Promise<void>): void {
    void Promise.resolve()
      .then(task)
      .catch((error: unknown) => logger.error(`${what}_failed`, { userId, error: errorMessage(error) }));
  }

  /** The link token's hash, or null for text this app never issued (refused without a lookup). */
  function linkTokenHash(token: string): string | null {
    return LINK_TOKEN_PATTERN.test(token) ? sha256(token) : null;
  }

  async function refusedLink(ip: string | null): Promise<never> {
    await rateLimits.linkTokenFailed(ip);
    throw invalidLink();
  }

  return {
    /** After registration: the first verification link (the account exists already, whatever happens here). */
    async sendFirstVerification(user: UserRecord): Promise<void> {
      try {
        const link = await issueLink(user, "email_verification", config.emailVerificationTtlSeconds);
        post(
          { kind: "email_verification_link", to: user.email, name: user.name, locale: user.locale, ...link },
          user.id,
        );
      } catch (error) {
        // The account exists: a failure here must not fail the registration (the banner can resend).
        logger.warn("verification_link_failed", { userId: user.id, error: errorMessage(error) });
      }
    },

    async requestPasswordReset(input: PasswordResetRequest, context: RequestContext): Promise<void> {
      await rateLimits.beforePasswordReset(input.email, context.ip);
      const user = await users.findByEmail(input.email);
      // A disabled account gets no link: an administrator decided it cannot be used.
      if (!user || user.disabledAt) return;
      afterAnswer("password_reset_request", user.id, async () => {
        const link = await issueLink(user, "password_reset", config.passwordResetTtlSeconds);
        post({ kind: "password_reset_link", to: user.email, name: user.name, locale: user.locale, ...link }, user.id);
        await fanout.audit([
          {
            userId: user.id,
            sessionId: null,
            type: "password_reset_requested",
            ...linkUser(context),
            mailUnverified: !user.emailVerifiedAt,
          },
        ]);
      });
    },

    async resetPassword(input: PasswordResetInput, context: RequestContext): Promise<void> {
      await rateLimits.beforeLinkToken(context.ip);
      const tokenHash = linkTokenHash(input.token);
      if (!tokenHash) return refusedLink(context.ip);
      const newPasswordHash = await hasher.hash(input.newPassword);
      const nowMs = clock();
      const result = await accounts.resetPassword({ tokenHash, newPasswordHash, now: new Date(nowMs) });
      if (!result) return refusedLink(context.ip);
      const { user, epoch } = result;
      // The owner proved the mailbox: failed guesses from their address no longer hold them back.
      await rateLimits.passwordCheckSucceeded(user.email, context.ip);
      await fanout.epochRaised(user.id, epoch, "password_reset", null, {
        userId: user.id,
        sessionId: null,
        type: "password_reset",
        reason: "password_reset",
        ...linkUser(context),
        mailUnverified: !user.emailVerifiedAt,
      });
      post(
        {
          kind: "password_reset_done",
          to: user.email,
          name: user.name,
          locale: user.locale,
          at: new Date(nowMs),
          ip: context.ip,
        },
        user.id,
      );
    },

    async verifyEmail(token: string, context: RequestContext): Promise<EmailConfirmationResult> {
      await rateLimits.beforeLinkToken(context.ip);
      const tokenHash = linkTokenHash(token);
      if (!tokenHash) return refusedLink(context.ip);
      const nowMs = clock();
      const result = await accounts.confirmEmail({ tokenHash, now: new Date(nowMs) });
      if (!result) return refusedLink(context.ip);
      const { user } = result;
      if (result.kind === "email_taken") {
        throw new AuthError("email_taken", engineText("link.emailTakenMeanwhile"));
      }
      if (result.kind === "verified") {
        await fanout.audit([{ userId: user.id, sessionId: null, type: "email_verified", ...linkUser(context) }]);
        return { userId: user.id, email: user.email, changed: false };
      }
      await fanout.audit([{ userId: user.id, sessionId: null, type: "email_changed", ...linkUser(context) }]);
      post(
        {
          kind: "email_changed",
          to: result.previousEmail,
          name: user.name,
          locale: user.locale,
          newEmail: user.email,
          at: new Date(nowMs),
        },
        user.id,
      );
      return { userId: user.id, email: user.email, changed: true };
    },

    async hasPassword(claims: AccessClaims): Promise<boolean> {
      const user = await users.findById(claims.sub);
      if (!user) throw invalidToken("revoked"); // deleted between the token check and now
      return user.passwordHash !== null;
    },

    async sendVerificationEmail(claims: AccessClaims): Promise<void> {
      const user = await users.findById(claims.sub);
      if (!user) throw invalidToken("revoked");
      if (user.emailVerifiedAt) return;
      await rateLimits.beforeAccountMail(user.id);
      const link = await issueLink(user, "email_verification", config.emailVerificationTtlSeconds);
      post({ kind: "email_verification_link", to: user.email, name: user.name, locale: user.locale, ...link }, user.id);
    },

    async changeEmail(claims: AccessClaims, input: ChangeEmailInput, context: RequestContext): Promise<void> {
      const user = await reauthenticate(claims, input.password, context);
      if (input.newEmail === user.email) {
        throw new AuthError("invalid_request", engineText("link.sameEmail"), {
          fields: { newEmail: [engineText("link.sameEmail")] },
        });
      }
      await rateLimits.beforeAccountMail(user.id);
      const nowMs = clock();
      // The same answer, in the same time, whether or not the new address is taken.
      afterAnswer("email_change_request", user.id, async () => {
        const taken = await users.findByEmail(input.newEmail);
        if (!taken) {
          const link = await issueLink(user, "email_change", config.emailVerificationTtlSeconds, input.newEmail);
          post(
            {
              kind: "email_change_link",
              to: input.newEmail,
              name: user.name,
              locale: user.locale,
              oldEmail: user.email,
              ...link,
            },
            user.id,
          );
        }
        post(
          {
            kind: "email_change_requested",
            to: user.email,
            name: user.name,
            locale: user.locale,
            newEmail: input.newEmail,
            at: new Date(nowMs),
          },
          user.id,
        );
        await fanout.audit([
          {
            userId: user.id,
            sessionId: claims.sid,
            type: "email_change_requested",
            actorSessionId: claims.sid,
            ip: context.ip,
            mailUnverified: !user.emailVerifiedAt,
          },
        ]);
      });
    },

    async deleteAccount(claims: AccessClaims, input: DeleteAccountInput, context: RequestContext): Promise<void> {
      const user = await reauthenticate(claims, input.password, context);
      const nowMs = clock();
      const live = await accounts.deleteUser(user.id, new Date(nowMs));
      if (live === null) throw invalidToken("revoked");
      await fanout.accountDeleted(user.id, live);
      post(
        { kind: "account_deleted", to: user.email, name: user.name, locale: user.locale, at: new Date(nowMs) },
        user.id,
      );
    },
  };
}
