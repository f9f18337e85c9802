import { otherMethods } from "@/server/http/method-not-allowed";
import { deleteAccountSchema, parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { noContent } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/**
 * Deletes the account: every session and token refused on the next request, the user's rows
 * removed, a goodbye email. Needs the password, or a recent sign-in (else 401
 * `insufficient_user_authentication`); a wrong password spends the sign-in failure budget.
 */
export const DELETE = apiRoute(async ({ request, services, requireAuth, client }) => {
  const claims = await requireAuth();
  const input = parseInput(deleteAccountSchema, await readBody(request));
  await services.engine.deleteAccount(claims, input, client);
  return noContent();
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
