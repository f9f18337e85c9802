import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput, passwordResetSchema } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

/**
 * Uses a reset link's token: the new password is set and every session and token of the account is
 * refused from now on. An unknown, used, superseded or expired token: 400 `invalid_grant`.
 */
export const POST = apiRoute(async ({ request, services, client }) => {
  const input = parseInput(passwordResetSchema, await readBody(request));
  await services.engine.resetPassword(input, client);
  return respond(emptyResponseSchema, {});
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
