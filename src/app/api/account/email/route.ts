import { otherMethods } from "@/server/http/method-not-allowed";
import { changeEmailSchema, parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

/**
 * Asks to move the account to `newEmail`: a link to the new address, a notice to the old one; the
 * same 202 when the address is taken. Needs the password, or a recent sign-in (else 401
 * `insufficient_user_authentication`); a wrong password spends the sign-in failure budget.
 */
export const POST = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(changeEmailSchema, await readBody(request));
  await services.engine.changeEmail(claims, input, client);
  return respond(emptyResponseSchema, {}, 202);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
