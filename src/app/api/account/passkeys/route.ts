import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { addPasskeySchema, passkeyViewSchema, passkeysResponseSchema } from "@/server/http/passkey-schemas";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** The caller's passkeys, oldest first. */
export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  return respond(passkeysResponseSchema, { passkeys: await services.engine.listPasskeys(claims) });
});

/** Stores a passkey: the authenticator's answer to the options of POST /api/account/passkeys/options. */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(addPasskeySchema, await readBody(request));
  return respond(passkeyViewSchema, await services.engine.addPasskey(claims, input, client), 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
