import { otherMethods } from "@/server/http/method-not-allowed";
import { authorizationServerMetadata } from "@/server/http/oauth-schemas";
import { apiRoute } from "@/server/http/route";

/** RFC 8414 metadata: where OAuth client libraries find the token, revocation and introspection endpoints and the keys. */
export const GET = apiRoute(async ({ services }) =>
  Response.json(authorizationServerMetadata(services.config.issuer, services.env.APP_URL), {
    headers: { "Cache-Control": "public, max-age=300" },
  }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
