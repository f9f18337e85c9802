import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";
import { revokeSchema } from "@/server/http/schemas";

/** RFC 7009: 200 whether or not the token was valid; the session it belongs to is signed out. */
export const POST = apiRoute(async ({ request, services }) => {
  const { token } = parseInput(revokeSchema, await readBody(request));
  await services.engine.revokeToken(token);
  return respond(emptyResponseSchema, {});
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
