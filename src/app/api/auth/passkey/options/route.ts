import { otherMethods } from "@/server/http/method-not-allowed";
import { passkeyRequestOptionsSchema } from "@/server/http/passkey-schemas";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** Request options for a passkey sign-in (no account named); counted like sign-in attempts per address. */
export const POST = apiRoute(async ({ services, client }) =>
  respond(passkeyRequestOptionsSchema, await services.engine.passkeySignInOptions(client)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
