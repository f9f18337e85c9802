import { z } from "zod";
import { existingPasswordSchema } from "@/core/validation";
import { engineText } from "@/core/messages";
import { parameterText } from "./parameter-text";

/** Request and response shapes of the two-factor routes (/api/account/totp) and the token endpoint's mfa grants. */

/** A code as typed: generous here (spaces, any text up to a sane length); the engine decides if it is right. */
const codeText = (required: string, tooLong: string) =>
  z.string({ error: required }).trim().min(1, required).max(64, tooLong);

/** The API's code parameters (otp, recovery_code), named as the API spells them. */
const codeParameter = (parameter: string) =>
  codeText(
    engineText("request.parameterRequired", { parameter }),
    engineText("request.parameterTooLong", { parameter }),
  );

export const totpCodeSchema = codeText(engineText("request.codeRequired"), engineText("request.codeTooLong"));

/** Set-up and new recovery codes: the password may be left out after a recent sign-in (re-authentication). */
export const totpReauthSchema = z.object({ password: existingPasswordSchema.optional() });
export const totpConfirmSchema = z.object({ code: totpCodeSchema });
/** Turning it off always asks for the password. */
export const totpDisableSchema = z.object({ password: existingPasswordSchema });

const mfaTokenSchema = parameterText("mfa_token", 512);

/** grant_type=mfa_otp: the second step of a sign-in that answered mfa_required, with a TOTP code. */
export const mfaOtpGrantSchema = z
  .object({ mfa_token: mfaTokenSchema, otp: codeParameter("otp") })
  .transform(({ mfa_token, otp }) => ({ mfaToken: mfa_token, otp }));

/** grant_type=mfa_recovery_code: the same, with one of the account's recovery codes. */
export const mfaRecoveryCodeGrantSchema = z
  .object({ mfa_token: mfaTokenSchema, recovery_code: codeParameter("recovery_code") })
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
