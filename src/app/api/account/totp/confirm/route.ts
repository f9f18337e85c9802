import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import { recoveryCodesResponseSchema, totpConfirmSchema } from "@/server/http/two-factor-schemas";

/** Turns TOTP on with a code from the pending secret; answers ten recovery codes, shown this once. */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(totpConfirmSchema, await readBody(request));
  return respond(recoveryCodesResponseSchema, await services.engine.confirmTotp(claims, input, client));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
