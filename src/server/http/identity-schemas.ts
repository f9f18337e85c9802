import { z } from "zod";
import { existingPasswordSchema } from "@/core/validation";
import { engineText } from "@/core/messages";

/** A provider id as this app names them ("oidc", "github"). */
export const providerIdSchema = z
  .string({ error: engineText("request.providerRequired") })
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, engineText("request.unknownProvider"));

/**
 * The connect and disconnect forms (and the API's DELETE body, without `provider`): the password is
 * optional, an empty field is none (a recent sign-in may do instead).
 */
export const connectedForm = z.object({
  provider: providerIdSchema,
  password: z.preprocess((v) => (v === "" || v === null ? undefined : v), existingPasswordSchema.optional()),
});

/** One connected identity, as `GET /api/account/identities` answers it. */
export const identityViewSchema = z.object({
  provider: z.string().describe('The provider\'s id in this app: "oidc" or "github".'),
  providerName: z.string().describe('The provider\'s name for people (OIDC_DISPLAY_NAME, "GitHub").'),
  email: z.string().nullable().describe("The email the provider gave when the identity was connected."),
  createdAt: z.iso.datetime().describe("When it was connected (ISO 8601, UTC)."),
  lastUsedAt: z.iso.datetime().nullable().describe("When it last signed in; null if never."),
});

export const identitiesResponseSchema = z.object({
  identities: z.array(identityViewSchema).describe("Oldest first."),
});

/** `DELETE /api/account/identities/{provider}`: the optional body. */
export const unlinkIdentityBodySchema = connectedForm.pick({ password: true });
