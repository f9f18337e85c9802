import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput, passwordResetRequestSchema } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

/**
 * Asks for a password reset link. The same 202 `{}` whether or not an account has this email (the
 * link is mailed after the answer); limited per address and per email (429 + Retry-After).
 */
export const POST = apiRoute(async ({ request, services, client }) => {
  const input = parseInput(passwordResetRequestSchema, await readBody(request));
  await services.engine.requestPasswordReset(input, client);
  return respond(emptyResponseSchema, {}, 202);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
