import { otherMethods } from "@/server/http/method-not-allowed";
import { changePasswordSchema, parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { tokenResponse } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/**
 * Every other session and every token issued before is refused afterwards; this device gets a fresh
 * pair. A wrong current password spends the account's sign-in failure budget (429 once it is spent).
 */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(changePasswordSchema, await readBody(request));
  return tokenResponse(await services.engine.changePassword(claims, input, client));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
