import { otherMethods } from "@/server/http/method-not-allowed";
import { identityProviderName } from "@/server/auth/providers/oidc";
import { identitiesResponseSchema } from "@/server/http/identity-schemas";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** The identities (OpenID Connect, GitHub) connected to the account, oldest first. */
export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  const identities = (await services.engine.listIdentities(claims)).map((identity) => ({
    ...identity,
    providerName: identityProviderName(services.env, identity.provider),
  }));
  return respond(identitiesResponseSchema, { identities });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
