import { otherMethods } from "@/server/http/method-not-allowed";
import { AuthError } from "@/core/errors";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { tokenResponse } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import { passwordGrantSchema, refreshGrantSchema } from "@/server/http/schemas";

/** RFC 6749 token endpoint: the password grant (§4.3) signs a device in, refresh_token (§6) rotates. */
export const POST = apiRoute(async ({ request, services, client }) => {
  const body = await readBody(request);
  switch (body.grant_type) {
    case "password":
      return tokenResponse(await services.engine.signIn(parseInput(passwordGrantSchema, body), client));
    case "refresh_token":
      return tokenResponse(await services.engine.refresh(parseInput(refreshGrantSchema, body).refresh_token, client));
    case undefined:
    case "":
      throw new AuthError("invalid_request", "grant_type is required.", {
        fields: { grant_type: ["grant_type is required."] },
      });
    default:
      throw new AuthError("unsupported_grant_type", 'Supported grant types are "password" and "refresh_token".');
  }
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
