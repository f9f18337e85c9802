import { otherMethods } from "@/server/http/method-not-allowed";
import { changePasswordSchema, parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { tokenResponse } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** Every other session and every token issued before is refused afterwards; this device gets a fresh pair. */
export const POST = apiRoute(async ({ request, services, requireAuth }) => {
  const claims = await requireAuth();
  const input = parseInput(changePasswordSchema, await readBody(request));
  return tokenResponse(await services.engine.changePassword(claims, input));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
