import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { passkeyCreationOptionsSchema, passkeyReauthSchema } from "@/server/http/passkey-schemas";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** Creation options for a new passkey (re-authentication applies); the challenge is single use, 5 minutes. */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(passkeyReauthSchema, await readBody(request));
  return respond(passkeyCreationOptionsSchema, await services.engine.passkeyRegistrationOptions(claims, input, client));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
