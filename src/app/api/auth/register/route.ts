import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput, registerSchema } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { json } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

export const POST = apiRoute(async ({ request, services, client }) => {
  const input = parseInput(registerSchema, await readBody(request));
  const user = await services.engine.register(input, client);
  return json({ user }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
