import { z } from "zod";
import { addPasskeySchema, authenticationResponseSchema, passkeySignInSchema } from "@/core/passkeys";
import { deleteAccountSchema } from "@/core/validation";

/** The passkey routes' request and response shapes (src/app/api/account/passkeys, src/app/api/auth/passkey). */

/** `{password?}`: the re-authentication of adding or removing a passkey (the same shape as account deletion's). */
export const passkeyReauthSchema = deleteAccountSchema;

export { addPasskeySchema };

/** RFC 6749 style names, like the token endpoint's password grant. */
export const passkeySignInRequestSchema = z
  .object({
    response: authenticationResponseSchema.meta({
      description:
        "The `AuthenticationResponseJSON` of `navigator.credentials.get` (as @simplewebauthn/browser returns it).",
    }),
    device_name: passkeySignInSchema.shape.deviceName,
  })
  .transform(({ response, device_name }) => ({ response, deviceName: device_name }));

/** A credential id as the API names it: base64url. */
export const passkeyIdSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z0-9_-]+$/);

export const passkeyViewSchema = z.strictObject({
  id: z.string().meta({ description: "The credential id (base64url)." }),
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable().meta({ description: "The last sign-in with it; null before the first." }),
});

export const passkeysResponseSchema = z.strictObject({ passkeys: z.array(passkeyViewSchema) });

const credentialDescriptor = z.object({
  id: z.string(),
  type: z.string(),
  transports: z.array(z.string()).optional(),
});

export const passkeyCreationOptionsSchema = z
  .object({
    challenge: z.string(),
    rp: z.object({ id: z.string().optional(), name: z.string() }),
    user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.object({ type: z.string(), alg: z.number() })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(credentialDescriptor).optional(),
    authenticatorSelection: z.unknown().optional(),
    hints: z.array(z.string()).optional(),
    attestation: z.string().optional(),
    attestationFormats: z.array(z.string()).optional(),
    extensions: z.unknown().optional(),
  })
  .meta({
    description:
      "`PublicKeyCredentialCreationOptionsJSON` for `navigator.credentials.create` (WebAuthn Level 3 JSON form). The challenge is single use and valid 5 minutes.",
  });

export const passkeyRequestOptionsSchema = z
  .object({
    challenge: z.string(),
    rpId: z.string().optional(),
    timeout: z.number().optional(),
    allowCredentials: z.array(credentialDescriptor).optional(),
    userVerification: z.string().optional(),
    hints: z.array(z.string()).optional(),
    extensions: z.unknown().optional(),
  })
  .meta({
    description:
      "`PublicKeyCredentialRequestOptionsJSON` for `navigator.credentials.get`, naming no account (discoverable credentials). The challenge is single use and valid 5 minutes.",
  });
