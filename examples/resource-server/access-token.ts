import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import type { Config } from "./config";

/** What this service needs from a token: who (sub), which device session (sid), and its epoch (sv). */
export interface TokenClaims {
  sub: string;
  sid: string;
  sv: number;
}

/** The token is not acceptable: 401. */
export class InvalidToken extends Error {}

/** This service cannot decide right now (keys or revocation state unreachable): 503, never "accept". */
export class CannotDecide extends Error {}

/** jose errors that say nothing about the token, only that the app's keys could not be fetched or read. */
const KEY_SERVER_PROBLEMS = new Set(["ERR_JOSE_GENERIC", "ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID"]);

/**
 * Local verification against the app's published keys: ES256 only, `typ: at+jwt` (RFC 9068, so
 * no other JWT of the app passes as an access token), issuer, audience, expiry. Keys are cached
 * for `jwksCacheSeconds`; an unknown `kid` makes jose fetch them again (at most every 30 s).
 */
export function createTokenVerifier(config: Config): (token: string) => Promise<TokenClaims> {
  const jwks = createRemoteJWKSet(config.jwksUrl, {
    cacheMaxAge: config.jwksCacheSeconds * 1000,
    timeoutDuration: 3000,
  });

  return async function verify(token) {
    try {
      const { payload } = await jwtVerify(token, jwks, {
        algorithms: ["ES256"],
        typ: "at+jwt",
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ["sub", "sid", "sv", "iat", "exp"],
      });
      const { sub, sid, sv } = payload;
      if (typeof sub !== "string" || typeof sid !== "string" || typeof sv !== "number")
        throw new InvalidToken("The access token is malformed.");
      return { sub, sid, sv };
    } catch (error) {
      if (error instanceof InvalidToken) throw error;
      if (!(error instanceof errors.JOSEError) || KEY_SERVER_PROBLEMS.has(error.code)) {
        throw new CannotDecide("The signing keys cannot be fetched right now.");
      }
      throw new InvalidToken(
        error instanceof errors.JWTExpired ? "The access token has expired." : "The access token is not valid.",
      );
    }
  };
}
