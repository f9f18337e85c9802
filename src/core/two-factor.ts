import type { AccessClaims } from "./access-claims";
import type { EngineDeps } from "./deps";
import type { EngineParts } from "./engine-parts";
import type { AuthError } from "./errors";
import type { UserRecord } from "./ports";
import type { RequestContext, TokenPair } from "./session-engine";

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

export function createTwoFactorVerbs(_deps: EngineDeps, _parts: EngineParts): TwoFactor {
  const notYet = async (): Promise<never> => {
    throw new Error("Two-factor sign-in is not built yet.");
  };
  return {
    verbs: {
      twoFactorStatus: async () => ({ enabled: false, recoveryCodesLeft: 0 }),
      beginTotpSetup: notYet,
      confirmTotp: notYet,
      disableTotp: notYet,
      regenerateRecoveryCodes: notYet,
      completeSignIn: notYet,
    },
    secondStepRequired: notYet,
  };
}
