import { jwtVerify, createLocalJWKSet } from "jose";
import { invalidToken } from "@/core/errors";
import { bearerToken } from "@/server/http/bearer";
import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { meResponseSchema } from "@/server/http/response-schemas";
import { benchmarkRoute } from "../benchmark-route";

/**
 * The benchmark's baseline: what a purely stateless JWT API does (one signature check, nothing
 * revocable), answering like /api/me. It exists only when BENCHMARK_ROUTES=1; never in production.
 */
const keySets = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();

export const GET = benchmarkRoute(async ({ request, services }) => {
  let keys = keySets.get(services.keyRing);
  if (!keys) keySets.set(services.keyRing, (keys = createLocalJWKSet(services.keyRing.publicJwks)));
  const { payload } = await jwtVerify(bearerToken(request.headers), keys, {
    issuer: services.config.issuer,
    audience: services.config.audience,
    typ: "at+jwt",
  }).catch(() => {
    throw invalidToken("signature");
  });
  return respond(meResponseSchema, {
    user: {
      id: String(payload.sub),
      email: String(payload.email),
      name: typeof payload.name === "string" ? payload.name : null,
      emailVerified: payload.email_verified === true,
      twoFactor: payload.two_factor === true,
    },
    session: { id: String(payload.sid) },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
