import { z } from "zod";
import type { AccessClaims } from "@/core/access-tokens";
import type { EngineConfig } from "@/core/config";
import { engineText } from "@/core/messages";

/**
 * Request and response shapes of the endpoints other services call: token introspection
 * (RFC 7662, POST /api/auth/introspect) and the server metadata (RFC 8414,
 * GET /.well-known/oauth-authorization-server). The routes build their answers through these.
 */

export const introspectionRequestSchema = z.object({
  // No length limit of its own: an oversized or odd token is simply not active (the body is capped).
  token: z
    .string({ error: engineText("request.parameterRequired", { parameter: "token" }) })
    .min(1, engineText("request.parameterRequired", { parameter: "token" })),
  // RFC 7662 §2.1: only a hint; any value is accepted and ignored (only access tokens can be active).
  token_type_hint: z.string().optional(),
});

export const activeIntrospectionSchema = z.object({
  active: z.literal(true),
  /** User id. */
  sub: z.string(),
  /** Device session id: what "log out this device" revokes. */
  sid: z.string(),
  exp: z.number().int(),
  iat: z.number().int(),
  iss: z.string(),
  aud: z.string(),
  token_type: z.literal("Bearer"),
});

export const inactiveIntrospectionSchema = z.object({ active: z.literal(false) });

/** Anything not accepted right now (bad, expired, revoked, a refresh token) is `{active: false}` and nothing else. */
export const introspectionResponseSchema = z.discriminatedUnion("active", [
  activeIntrospectionSchema,
  inactiveIntrospectionSchema,
]);
export type IntrospectionResponse = z.output<typeof introspectionResponseSchema>;

export function introspectionResponse(
  claims: AccessClaims | null,
  config: Pick<EngineConfig, "issuer" | "audience">,
): IntrospectionResponse {
  if (!claims) return { active: false };
  // iss and aud are the configured ones: verification accepts no other.
  return {
    active: true,
    sub: claims.sub,
    sid: claims.sid,
    exp: claims.exp,
    iat: claims.iat,
    iss: config.issuer,
    aud: config.audience,
    token_type: "Bearer",
  };
}

const methods = z.array(z.string());

export const authorizationServerMetadataSchema = z.object({
  issuer: z.string(),
  token_endpoint: z.url(),
  revocation_endpoint: z.url(),
  introspection_endpoint: z.url(),
  jwks_uri: z.url(),
  grant_types_supported: methods,
  /** Required by RFC 8414; empty: there is no authorization endpoint. */
  response_types_supported: methods,
  token_endpoint_auth_methods_supported: methods,
  revocation_endpoint_auth_methods_supported: methods,
  introspection_endpoint_auth_methods_supported: methods,
});
export type AuthorizationServerMetadata = z.output<typeof authorizationServerMetadataSchema>;

/** Endpoints are absolute URLs under the public APP_URL; the issuer is the tokens' `iss`. */
export function authorizationServerMetadata(issuer: string, appUrl: string): AuthorizationServerMetadata {
  const at = (path: string) => new URL(path, appUrl).href;
  return {
    issuer,
    token_endpoint: at("/api/auth/token"),
    revocation_endpoint: at("/api/auth/revoke"),
    introspection_endpoint: at("/api/auth/introspect"),
    jwks_uri: at("/.well-known/jwks.json"),
    grant_types_supported: ["password", "refresh_token"],
    response_types_supported: [],
    // Apps and browsers are public clients: the token and revocation endpoints need no client secret.
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
  };
}
