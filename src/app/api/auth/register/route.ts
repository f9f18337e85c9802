import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput, registerSchema } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { registerResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

export const POST = apiRoute(async ({ request, services, client }) => {
  const input = parseInput(registerSchema, await readBody(request));
  const user = await services.engine.register(input, client);
  return respond(registerResponseSchema, { user }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
