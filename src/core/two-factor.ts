import type { AccessClaims } from "./access-claims";
import { randomToken, sha256 } from "./crypto";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import { logAuthEvent } from "./auth-events-log";
import { AuthError, accountDisabled, errorMessage, invalidToken } from "./errors";
import type { UserRecord } from "./ports";
import type { RequestContext, TokenPair } from "./session-engine";
import { changedBy } from "./sign-in-method-changes";
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, recoveryCodeHash, totpStepOf, totpUri } from "./totp";
import { engineText } from "./messages";

/** What set-up shows once: the secret (base32, the "Setup key") and the otpauth:// URI of its QR code. */
export interface TotpSetup {
  secret: string;
  otpauthUri: string;
}

/** The second step of a password sign-in: the mfa_token and either a TOTP code or a recovery code. */
export type SecondFactorInput = { mfaToken: string; otp: string } | { mfaToken: string; recoveryCode: string };

export interface TwoFactorStatus {
  enabled: boolean;
  /** Unused recovery codes (0 when two-factor sign-in is off). */
  recoveryCodesLeft: number;
}

/** The engine's verbs for two-factor sign-in with TOTP (RFC 6238) and recovery codes. */
export interface TwoFactorVerbs {
  /** Whether TOTP is on for the caller's account (read from the database, not the token). */
  twoFactorStatus(claims: AccessClaims): Promise<TwoFactorStatus>;
  /**
   * Starts set-up (re-authentication applies): a new secret, stored sealed and pending. Nothing
   * changes for sign-in until `confirmTotp`. `conflict` when TOTP is already on.
   */
  beginTotpSetup(claims: AccessClaims, input: { password?: string }, context: RequestContext): Promise<TotpSetup>;
  /**
   * Turns TOTP on with a code from the pending secret; answers ten recovery codes, shown once.
   * `invalid_grant` (field `code`) for a wrong code; `conflict` with no pending set-up.
   */
  confirmTotp(
    claims: AccessClaims,
    input: { code: string },
    context: RequestContext,
  ): Promise<{ recoveryCodes: string[] }>;
  /** Turns TOTP off (the password is required); its secret and recovery codes are deleted. */
  disableTotp(claims: AccessClaims, input: { password: string }, context: RequestContext): Promise<void>;
  /** New recovery codes, the old ones void (re-authentication applies). */
  regenerateRecoveryCodes(
    claims: AccessClaims,
    input: { password?: string },
    context: RequestContext,
  ): Promise<{ recoveryCodes: string[] }>;
  /**
   * The second step of a sign-in that answered `mfa_required`: a TOTP code (a time step never
   * accepted twice) or an unused recovery code. Wrong answers count against the account's sign-in
   * failure budget. The device session is made only here.
   */
  completeSignIn(input: SecondFactorInput, context: RequestContext): Promise<TokenPair>;
}

export interface TwoFactor {
  verbs: TwoFactorVerbs;
  /**
   * For a password sign-in whose password was right, on an account with TOTP on: stores a
   * short-lived, single-use challenge and answers the `mfa_required` error that carries its token.
   */
  secondStepRequired(user: UserRecord, deviceName: string | null): Promise<AuthError>;
}

/** How long the second step of a sign-in may take, and how many wrong answers it gets. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;
export const MFA_MAX_ATTEMPTS = 5;
/** A set-up not confirmed with a code within this time must be started again. */
export const TOTP_SETUP_TTL_SECONDS = 900;

const MFA_TOKEN_BYTES = 32;
/** 32 bytes in base64url: anything else was not issued here and is not looked up. */
const MFA_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** RFC 8176 values of a session that passed the second step. */
export const AMR_WITH_TOTP = ["pwd", "otp", "mfa"];
/** A recovery code is a second secret the person has, not a one-time password from a device. */
export const AMR_WITH_RECOVERY_CODE = ["pwd", "mfa"];

function signInAgain(): AuthError {
  return new AuthError("invalid_grant", engineText("twoFactor.signInAgain"));
}

function wrongCode(field: "code" | "otp" | "recoveryCode", message: string): AuthError {
  return new AuthError("invalid_grant", message, { fields: { [field]: [message] } });
}

function notOn(): AuthError {
  return new AuthError("conflict", engineText("twoFactor.notOn"));
}

export function createTwoFactorVerbs(deps: EngineDeps, parts: EngineParts): TwoFactor {
  const { config, users, challenges, twoFactor: repository, secrets, clock, logger, rateLimits } = deps;
  const { reauthenticate, startSession, announce } = parts;

  async function currentUser(claims: AccessClaims): Promise<UserRecord> {
    const user = await users.findById(claims.sub);
    if (!user) throw invalidToken("revoked");
    return user;
  }

  function issueRecoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = newRecoveryCodes();
    return { codes, hashes: codes.map(recoveryCodeHash) };
  }

  /**
   * The account's TOTP credential with its secret opened, or null when there is none. A secret that
   * does not open (AUTH_SECRET changed since it was sealed) lets no code in: a clear refusal that
   * points to the recovery codes, and an error in the log for the operator.
   */
  async function secretOf(userId: string, field: "code" | "otp") {
    const totp = await repository.findTotp(userId);
    if (!totp) return null;
    try {
      return { ...totp, secret: secrets.open(totp.secretSealed) };
    } catch (error) {
      logger.error("totp_secret_unreadable", { userId, error: errorMessage(error) });
      throw wrongCode(field, engineText("twoFactor.secretUnreadable"));
    }
  }

  /** A wrong second factor: the challenge loses one of its attempts, the account one of its budget. */
  async function refuseSecondStep(tokenHash: string, user: UserRecord, ip: string | null, error: AuthError) {
    await challenges.countFailure(tokenHash, MFA_MAX_ATTEMPTS);
    await rateLimits.passwordCheckFailed(user.email, ip);
    logAuthEvent(logger, "sign_in_failed", { userId: user.id, ip, reason: "wrong_second_factor" });
    return error;
  }

  const verbs: TwoFactorVerbs = {
    async twoFactorStatus(claims) {
      const totp = await repository.findTotp(claims.sub);
      if (!totp?.enabledAt) return { enabled: false, recoveryCodesLeft: 0 };
      return { enabled: true, recoveryCodesLeft: await repository.countRecoveryCodes(claims.sub) };
    },

    async beginTotpSetup(claims, input, context) {
      const user = await reauthenticate(claims, input.password, context);
      const conflict = new AuthError("conflict", engineText("twoFactor.alreadyOn"));
      if (user.twoFactorEnabled) throw conflict;
      const secret = newTotpSecret();
      if (!(await repository.savePendingTotp(user.id, secrets.seal(secret), new Date(clock())))) throw conflict;
      return { secret, otpauthUri: totpUri(config.appName, user.email, secret) };
    },

    async confirmTotp(claims, input, context) {
      const user = await currentUser(claims);
      const pending = await secretOf(user.id, "code");
      if (pending?.enabledAt) throw new AuthError("conflict", engineText("twoFactor.alreadyOn"));
      const nowMs = clock();
      if (!pending || nowMs - pending.createdAt.getTime() > TOTP_SETUP_TTL_SECONDS * 1000) {
        throw new AuthError("conflict", engineText("twoFactor.noSetUp"));
      }
      const step = totpStepOf(pending.secret, input.code, nowMs);
      if (step === null) {
        throw wrongCode("code", engineText("twoFactor.wrongCode"));
      }
      const { codes, hashes } = issueRecoveryCodes();
      const enabled = await repository.enableTotp({
        userId: user.id,
        secretSealed: pending.secretSealed,
        recoveryCodeHashes: hashes,
        step,
        now: new Date(nowMs),
      });
      if (!enabled) throw new AuthError("conflict", engineText("twoFactor.setUpChanged"));
      await announce(user, "two_factor_enabled", changedBy(claims, context));
      return { recoveryCodes: codes };
    },

    async disableTotp(claims, input, context) {
      const user = await reauthenticate(claims, input.password, context);
      if (!(await repository.disableTotp(user.id))) throw notOn();
      await announce(user, "two_factor_disabled", changedBy(claims, context));
    },

    async regenerateRecoveryCodes(claims, input, context) {
      const user = await reauthenticate(claims, input.password, context);
      const { codes, hashes } = issueRecoveryCodes();
      if (!(await repository.replaceRecoveryCodes(user.id, hashes))) throw notOn();
      await announce(user, "recovery_codes_regenerated", changedBy(claims, context));
      return { recoveryCodes: codes };
    },

    async completeSignIn(input, context) {
      await rateLimits.beforeSignIn(context.ip);
      if (!MFA_TOKEN_PATTERN.test(input.mfaToken)) throw signInAgain();
      const tokenHash = sha256(input.mfaToken);
      const nowMs = clock();
      const challenge = await challenges.find(tokenHash, "mfa", new Date(nowMs));
      const user = challenge?.userId ? await users.findById(challenge.userId) : null;
      if (!challenge || !user) throw signInAgain();
      // The same budget as wrong passwords: spent, even a right code is refused until it refills.
      await rateLimits.beforePasswordCheck(user.email, context.ip);

      // Whatever happened since the password was right ends this sign-in for good.
      const stale = user.sessionEpoch !== challenge.epoch || user.disabledAt !== null || !user.twoFactorEnabled;
      if (stale) {
        await challenges.consume(tokenHash, "mfa", new Date(nowMs));
        logAuthEvent(logger, "sign_in_failed", { userId: user.id, ip: context.ip, reason: "mfa_challenge_stale" });
        if (user.disabledAt) throw accountDisabled();
        throw signInAgain();
      }

      let amr: string[];
      let recoveryCodeUsed = false;
      if ("otp" in input) {
        const totp = await secretOf(user.id, "otp");
        const step = totp?.enabledAt ? totpStepOf(totp.secret, input.otp, nowMs) : null;
        if (step === null) {
          throw await refuseSecondStep(
            tokenHash,
            user,
            context.ip,
            wrongCode("otp", engineText("twoFactor.wrongCode")),
          );
        }
        // A code seen once (over a shoulder, by a phishing page) is never accepted again.
        if (!(await repository.useTotpStep(user.id, step))) {
          throw await refuseSecondStep(tokenHash, user, context.ip, wrongCode("otp", engineText("twoFactor.codeUsed")));
        }
        amr = AMR_WITH_TOTP;
      } else {
        const code = normaliseRecoveryCode(input.recoveryCode);
        const used =
          code !== null && (await repository.useRecoveryCode(user.id, recoveryCodeHash(code), new Date(nowMs)));
        if (!used) {
          throw await refuseSecondStep(
            tokenHash,
            user,
            context.ip,
            wrongCode("recoveryCode", engineText("twoFactor.wrongRecoveryCode")),
          );
        }
        amr = AMR_WITH_RECOVERY_CODE;
        recoveryCodeUsed = true;
      }

      // Exactly one of concurrent completions of this challenge gets it.
      const consumed = await challenges.consume(tokenHash, "mfa", new Date(nowMs));
      if (!consumed) throw signInAgain();
      await rateLimits.passwordCheckSucceeded(user.email, context.ip);
      const pair = await startSession(user, { method: "password", amr, deviceName: challenge.deviceName }, context);
      if (recoveryCodeUsed) {
        const remaining = await repository.countRecoveryCodes(user.id);
        await announce(user, "recovery_code_used", changedBy({ sid: pair.sessionId }, context), { remaining });
      }
      return pair;
    },
  };

  return {
    verbs,
    async secondStepRequired(user, deviceName) {
      const token = randomToken(MFA_TOKEN_BYTES);
      const nowMs = clock();
      await challenges.create({
        tokenHash: sha256(token),
        purpose: "mfa",
        userId: user.id,
        epoch: user.sessionEpoch,
        deviceName,
        createdAt: new Date(nowMs),
        expiresAt: new Date(nowMs + MFA_CHALLENGE_TTL_SECONDS * 1000),
      });
      return new AuthError("mfa_required", engineText("twoFactor.required"), { mfaToken: token });
    },
  };
}
