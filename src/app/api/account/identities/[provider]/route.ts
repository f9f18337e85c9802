import { parseInput } from "@/core/validation";
import { identityProviderName } from "@/server/auth/providers/oidc";
import { readBody } from "@/server/http/body";
import { providerIdSchema, unlinkIdentityBodySchema } from "@/server/http/identity-schemas";
import { otherMethods } from "@/server/http/method-not-allowed";
import { noContent } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/**
 * Disconnects the account's identity of `provider`. Needs the password (optional body) or a recent
 * sign-in; 409 `conflict` when it is the account's last way in, 404 when none is connected.
 */
export const DELETE = apiRoute<{ provider: string }>(async ({ request, services, requireAuth, client }, params) => {
  const claims = await requireAuth();
  const provider = parseInput(providerIdSchema, params.provider);
  const { password } = parseInput(unlinkIdentityBodySchema, await readBody(request));
  await services.engine.unlinkIdentity(
    claims,
    { provider, providerName: identityProviderName(services.env, provider), password },
    client,
  );
  return noContent();
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
