import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import { recoveryCodesResponseSchema, totpReauthSchema } from "@/server/http/two-factor-schemas";

/** Ten new recovery codes; the earlier ones stop working. Re-authentication applies. */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(totpReauthSchema, await readBody(request));
  return respond(recoveryCodesResponseSchema, await services.engine.regenerateRecoveryCodes(claims, input, client));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
