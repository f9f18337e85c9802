import { z } from "zod";
import { AUTH_ERROR_CODES } from "@/core/errors";

/**
 * What the HTTP API answers, as zod schemas: the routes build their bodies through `respond()`
 * (typed by these), and the OpenAPI document (src/server/openapi) is generated from the same
 * schemas. Objects are strict so the document says exactly which fields a client gets.
 */

export const errorBodySchema = z.strictObject({
  error: z.enum([...AUTH_ERROR_CODES, "invalid_client", "method_not_allowed", "server_error"]).meta({
    description: "RFC 6749 §5.2 / RFC 6750 §3.1 code where one exists.",
  }),
  error_description: z.string().meta({
    description:
      "A sentence for people; safe to show. In the request's language (`Accept-Language`, or the NEXT_LOCALE cookie of a browser): English or Simplified Chinese, named by `Content-Language`.",
  }),
  fields: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .meta({ description: "Per-field messages for invalid_request, in the language of `error_description`." }),
  mfa_token: z.string().optional().meta({
    description:
      "With mfa_required only: the single-use token of the sign-in's second step (grant_type mfa_otp or mfa_recovery_code), valid for 5 minutes.",
  }),
});

export const tokenResponseSchema = z.strictObject({
  access_token: z.string().meta({ description: "ES256 JWT (typ at+jwt), verifiable with /.well-known/jwks.json." }),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().positive().meta({ description: "Seconds until the access token expires." }),
  refresh_token: z.string().meta({ description: "Opaque, single use: each refresh returns the next one." }),
  session_id: z.string().meta({ description: "This device's session (the sid claim)." }),
});

export const publicUserSchema = z.strictObject({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  emailVerified: z.boolean().meta({
    description:
      "The owner proved they receive mail at `email` (a verification link). For a token's holder: as of the token's issue (a refresh brings it up to date).",
  }),
  twoFactor: z.boolean().meta({
    description:
      "Two-factor sign-in (TOTP) is on. For a token's holder: as of the token's issue (a refresh brings it up to date).",
  }),
});

export const registerResponseSchema = z.strictObject({ user: publicUserSchema });

export const meResponseSchema = z.strictObject({
  user: publicUserSchema,
  session: z.strictObject({ id: z.string() }),
});

export const sessionViewSchema = z.strictObject({
  id: z.string(),
  current: z.boolean().meta({ description: "True for the session of the token that asked." }),
  deviceName: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  deviceType: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastActiveAt: z.iso.datetime(),
  signInMethod: z.string().meta({
    description: 'How the device signed in: "password", "passkey", or an identity provider\'s id (e.g. "oidc").',
  }),
  amr: z.array(z.string()).meta({
    description:
      'The session\'s authentication methods (RFC 8176), e.g. ["pwd", "otp", "mfa"]; "fed" for an identity provider.',
  }),
});

export const sessionsResponseSchema = z.strictObject({ sessions: z.array(sessionViewSchema) });

export const healthResponseSchema = z.strictObject({
  status: z.literal("ok"),
  database: z.enum(["postgresql", "pglite"]),
  revocationStore: z.enum(["redis", "memory"]),
});

/** RFC 7009 §2.2: an empty JSON object, whatever the token was. */
export const emptyResponseSchema = z.strictObject({});

export const jwksSchema = z
  .strictObject({
    keys: z.array(
      z.looseObject({
        kty: z.string(),
        kid: z.string(),
        alg: z.enum(["ES256", "EdDSA"]),
        use: z.literal("sig"),
      }),
    ),
  })
  .meta({ description: "Public keys only; the first one signs new tokens, every one verifies." });

/** next-auth's own endpoints (browser sign-in); documented loosely, their shapes are next-auth's. */
export const nextAuthCsrfSchema = z.strictObject({ csrfToken: z.string() });
export const nextAuthSessionSchema = z.looseObject({
  user: z.looseObject({ email: z.string().optional() }).optional(),
  expires: z.string().optional(),
});
export const nextAuthProvidersSchema = z.record(
  z.string(),
  z.looseObject({ id: z.string(), name: z.string(), type: z.string() }),
);
export const nextAuthUrlSchema = z.strictObject({ url: z.string() });
