import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { noContent, respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import {
  totpDisableSchema,
  totpReauthSchema,
  totpSetupResponseSchema,
  totpStatusResponseSchema,
} from "@/server/http/two-factor-schemas";

/** Whether two-factor sign-in is on, and how many recovery codes are left (read from the database). */
export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  return respond(totpStatusResponseSchema, await services.engine.twoFactorStatus(claims));
});

/**
 * Starts TOTP set-up: a new secret, pending until `POST /api/account/totp/confirm`. Needs the
 * password, or a recent sign-in (else 401 `insufficient_user_authentication`); 409 when it is on.
 */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(totpReauthSchema, await readBody(request));
  return respond(totpSetupResponseSchema, await services.engine.beginTotpSetup(claims, input, client));
});

/** Turns TOTP off (the password is required): its secret and recovery codes are deleted. */
export const DELETE = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(totpDisableSchema, await readBody(request));
  await services.engine.disableTotp(claims, input, client);
  return noContent();
});

export const { PUT, PATCH } = otherMethods("GET", "POST", "DELETE");
