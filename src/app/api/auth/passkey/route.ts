import { otherMethods } from "@/server/http/method-not-allowed";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { passkeySignInRequestSchema } from "@/server/http/passkey-schemas";
import { tokenResponse } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** Signs a device in with a passkey's assertion: a new device session and its token pair, like the password grant. */
export const POST = apiRoute(async ({ request, services, client }) => {
  const input = parseInput(passkeySignInRequestSchema, await readBody(request));
  return tokenResponse(await services.engine.signInWithPasskey(input, client));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
