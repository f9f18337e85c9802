import { otherMethods } from "@/server/http/method-not-allowed";
import { logoutSchema, parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { noContent } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

export const POST = apiRoute(async ({ request, services, requireAuth }) => {
  const claims = await requireAuth();
  const { scope } = parseInput(logoutSchema, await readBody(request));
  await services.engine.logout(claims, scope);
  return noContent();
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
