import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { basicCredentials, invalidClient } from "@/server/http/client-auth";
import { otherMethods } from "@/server/http/method-not-allowed";
import {
  introspectionRequestSchema,
  introspectionResponse,
  introspectionResponseSchema,
} from "@/server/http/oauth-schemas";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/**
 * RFC 7662 token introspection for the services in INTROSPECTION_CLIENTS (HTTP Basic): is this
 * access token accepted right now? The same full check as every API request; 503 when revocation
 * cannot be determined, never a guess.
 */
export const POST = apiRoute(async ({ request, services, client }) => {
  const caller = await services.introspection.authenticateClient(basicCredentials(request.headers), client.ip);
  if (!caller.ok) return invalidClient(caller.description);
  const { token } = parseInput(introspectionRequestSchema, await readBody(request));
  const claims = await services.introspection.activeClaims(token);
  return respond(introspectionResponseSchema, introspectionResponse(claims, services.config));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
