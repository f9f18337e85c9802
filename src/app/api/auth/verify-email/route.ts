import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput, verifyEmailSchema } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

/**
 * Uses a verification or email-change link's token. 400 `invalid_grant` when it is not valid; 409
 * `email_taken` when another account took the new address of an email change meanwhile.
 */
export const POST = apiRoute(async ({ request, services, client }) => {
  const { token } = parseInput(verifyEmailSchema, await readBody(request));
  await services.engine.verifyEmail(token, client);
  return respond(emptyResponseSchema, {});
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
