import { z } from "zod";
import { existingPasswordSchema } from "@/core/validation";

/** Request and response shapes of the two-factor routes (/api/account/totp) and the token endpoint's mfa grants. */

/** A code as typed: generous here (spaces, any text up to a sane length); the engine decides if it is right. */
const codeText = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(64, `${label} is too long.`);

export const totpCodeSchema = codeText("The code");

/** Set-up and new recovery codes: the password may be left out after a recent sign-in (re-authentication). */
export const totpReauthSchema = z.object({ password: existingPasswordSchema.optional() });
export const totpConfirmSchema = z.object({ code: totpCodeSchema });
/** Turning it off always asks for the password. */
export const totpDisableSchema = z.object({ password: existingPasswordSchema });

const mfaTokenSchema = z
  .string({ error: "mfa_token is required." })
  .min(1, "mfa_token is required.")
  .max(512, "mfa_token is too long.");

/** grant_type=mfa_otp: the second step of a sign-in that answered mfa_required, with a TOTP code. */
export const mfaOtpGrantSchema = z
  .object({ mfa_token: mfaTokenSchema, otp: codeText("otp") })
  .transform(({ mfa_token, otp }) => ({ mfaToken: mfa_token, otp }));

/** grant_type=mfa_recovery_code: the same, with one of the account's recovery codes. */
export const mfaRecoveryCodeGrantSchema = z
  .object({ mfa_token: mfaTokenSchema, recovery_code: codeText("recovery_code") })
  .transform(({ mfa_token, recovery_code }) => ({ mfaToken: mfa_token, recoveryCode: recovery_code }));

export const totpSetupResponseSchema = z.strictObject({
  secret: z
    .string()
    .meta({ description: "The shared secret (base32): what an authenticator app asks as the setup key." }),
  otpauthUri: z.string().meta({ description: "otpauth://totp/... URI (Key URI Format), what the QR code holds." }),
});

export const recoveryCodesResponseSchema = z.strictObject({
  recoveryCodes: z
    .array(z.string())
    .length(10)
    .meta({ description: 'Ten single-use recovery codes ("xxxxx-xxxxx"), shown this once; stored hashed.' }),
});

export const totpStatusResponseSchema = z.strictObject({
  enabled: z.boolean().meta({ description: "Two-factor sign-in (TOTP) is on." }),
  recoveryCodesLeft: z.number().int().min(0).meta({ description: "Unused recovery codes (0 when off)." }),
});
