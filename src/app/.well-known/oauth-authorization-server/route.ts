import { otherMethods } from "@/server/http/method-not-allowed";
import { authorizationServerMetadata } from "@/server/http/oauth-schemas";
import { publicJson } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** RFC 8414 metadata: where OAuth client libraries find the token, revocation and introspection endpoints and the keys. */
export const GET = apiRoute(async ({ services }) =>
  publicJson(authorizationServerMetadata(services.config.issuer, services.env.APP_URL)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
