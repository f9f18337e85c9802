import { otherMethods } from "@/server/http/method-not-allowed";
import { AuthError } from "@/core/errors";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { passkeyIdSchema, passkeyReauthSchema } from "@/server/http/passkey-schemas";
import { noContent } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import { engineText } from "@/core/messages";

/** Removes one of the caller's passkeys (re-authentication applies); 409 when it is the account's last way in. */
export const DELETE = apiRoute<{ id: string }>(async ({ request, services, requireAuth, client }, { id }) => {
  const claims = await requireAuth();
  const input = parseInput(passkeyReauthSchema, await readBody(request));
  if (!passkeyIdSchema.safeParse(id).success) throw new AuthError("not_found", engineText("passkey.noSuch"));
  await services.engine.removePasskey(claims, id, input, client);
  return noContent();
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
