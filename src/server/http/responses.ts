import type { z } from "zod";
import type { TokenPair } from "@/core/session-engine";
import { NOSNIFF, NO_STORE } from "./errors";
import { tokenResponseSchema } from "./response-schemas";

/**
 * A JSON answer whose body is typed by the schema the OpenAPI document describes it with (so a
 * route cannot drift from its documentation without a type error). Every API response is private
 * to its caller: never cached by a browser or a proxy.
 */
export function respond<S extends z.ZodType>(_schema: S, body: z.output<S>, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

/** The public documents (keys, metadata, the API description): the same for everyone, cacheable for 5 minutes. */
export function publicJson(body: unknown): Response {
  return Response.json(body, { headers: { "Cache-Control": "public, max-age=300", ...NOSNIFF } });
}

/** A response made elsewhere (next-auth's), given the header every API response carries. */
export function withNosniff(response: Response): Response {
  for (const [name, value] of Object.entries(NOSNIFF)) response.headers.set(name, value);
  return response;
}

/** RFC 6749 §5.1 names. */
export function tokenResponse(pair: TokenPair): Response {
  return respond(tokenResponseSchema, {
    access_token: pair.accessToken,
    token_type: pair.tokenType,
    expires_in: pair.expiresIn,
    refresh_token: pair.refreshToken,
    session_id: pair.sessionId,
  });
}
