import { z } from "zod";
import { SESSION_ID_PATTERN } from "@/core/ids";
import { emailSchema, existingPasswordSchema, signInSchema } from "@/core/validation";
import { parameterText } from "./parameter-text";
import { mfaOtpGrantSchema, mfaRecoveryCodeGrantSchema } from "./two-factor-schemas";

/** Request shapes of the HTTP API that differ from the engine's (RFC 6749 field names). */
export const passwordGrantSchema = z
  .object({
    username: emailSchema,
    password: existingPasswordSchema,
    device_name: signInSchema.shape.deviceName,
  })
  .transform(({ username, password, device_name }) => ({ email: username, password, deviceName: device_name }));

export const refreshGrantSchema = z.object({
  // Generous: anything that is not a refresh token (an access token, say) is an invalid_grant, not a bad request.
  refresh_token: parameterText("refresh_token", 8192),
});

export const revokeSchema = z.object({
  token: parameterText("token", 8192),
  token_type_hint: z.string().max(64).optional(),
});

export const sessionIdSchema = z.string().regex(SESSION_ID_PATTERN);

/** The token endpoint's body, by grant (the route dispatches on grant_type, then parses one of these). */
export const tokenRequestSchema = z.union([
  z.object({ grant_type: z.literal("password") }).and(passwordGrantSchema),
  z.object({ grant_type: z.literal("refresh_token") }).and(refreshGrantSchema),
  z.object({ grant_type: z.literal("mfa_otp") }).and(mfaOtpGrantSchema),
  z.object({ grant_type: z.literal("mfa_recovery_code") }).and(mfaRecoveryCodeGrantSchema),
]);

/** What next-auth's browser client posts to /api/auth/_log (it adds the failure's details, which are not kept). */
export const nextAuthClientLogSchema = z.looseObject({
  level: z.string().optional(),
  code: z.string().optional(),
});
