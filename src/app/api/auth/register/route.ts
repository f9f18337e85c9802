import { parseInput, registerSchema } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { json } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

export const POST = apiRoute(async ({ request, services }) => {
  const input = parseInput(registerSchema, await readBody(request));
  const user = await services.engine.register(input);
  return json({ user }, 201);
});
