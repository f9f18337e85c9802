import { SignJWT, decodeJwt, errors as joseErrors, jwtVerify, type JWTHeaderParameters } from "jose";
import type { AccessClaims } from "./access-claims";
import type { EngineConfig } from "./config";
import { AuthError, invalidToken } from "./errors";
import { randomToken } from "./crypto";
import type { KeyRing } from "./signing-keys";
import { VerifiedTokenCache } from "./verified-token-cache";

// The claims travel with the tokens: importers of this module name them from here too.
export type { AccessClaims } from "./access-claims";

/** RFC 9068 media type: keeps an access token from being mistaken for any other JWT we sign. */
export const ACCESS_TOKEN_TYP = "at+jwt";
/** Anything longer is refused before parsing (a real token is ~500 bytes). */
export const MAX_TOKEN_LENGTH = 8192;

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  expiresAt: number;
}

export class AccessTokens {
  private readonly algorithms: string[];

  constructor(
    private readonly keys: KeyRing,
    private readonly config: EngineConfig,
    /** Verified tokens by hash; 0 entries disables it. */
    readonly cache: VerifiedTokenCache = new VerifiedTokenCache(0),
  ) {
    this.algorithms = [...new Set([...keys.verifying.values()].map((k) => k.alg))];
  }

  /**
   * `nowMs` is taken by the caller *before* the database write that allowed the issue, so a
   * revocation racing it is remembered at least as long as this token lives.
   */
  async issue(args: {
    userId: string;
    email: string;
    name: string | null;
    sessionId: string;
    epoch: number;
    emailVerified: boolean;
    /** When the holder last proved who they are (ms): the `auth_time` claim. */
    authTimeMs: number;
    /** How they proved it: the `amr` claim (absent from the token when empty). */
    amr?: readonly string[];
    /** The account has two-factor sign-in on: the `two_factor` claim. */
    twoFactor?: boolean;
    nowMs: number;
    notAfterMs: number;
  }): Promise<IssuedAccessToken> {
    const iat = Math.floor(args.nowMs / 1000);
    const exp = Math.min(iat + this.config.accessTokenTtlSeconds, Math.floor(args.notAfterMs / 1000));
    const token = await new SignJWT({
      sid: args.sessionId,
      sv: args.epoch,
      email: args.email,
      ...(args.name ? { name: args.name } : {}),
      email_verified: args.emailVerified,
      auth_time: Math.floor(args.authTimeMs / 1000),
      ...(args.amr?.length ? { amr: [...args.amr] } : {}),
      two_factor: args.twoFactor ?? false,
    })
      .setProtectedHeader({ alg: this.keys.signing.alg, kid: this.keys.signing.kid, typ: ACCESS_TOKEN_TYP })
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setSubject(args.userId)
      .setJti(randomToken(12))
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.keys.signing.key)
      .then((signed) => (this.keys.signing.alg === "ES256" ? es256LowS(signed) : signed));
    return { token, expiresIn: Math.max(exp - iat, 0), expiresAt: exp * 1000 };
  }

  /** Signature, algorithm, `typ`, `iss`, `aud`, `exp`/`nbf` and claim shapes. Revocation is not checked here. */
  async verify(token: string, nowMs: number): Promise<AccessClaims> {
    if (this.cache.maxEntries <= 0 || token.length > MAX_TOKEN_LENGTH) return this.verifyAt(token, nowMs);
    const key = VerifiedTokenCache.keyOf(token);
    const hit = this.cache.get(key);
    // A cached token is only as good as its expiry: checked on every use, like jose would.
    if (hit && hit.exp + this.config.clockToleranceSeconds > nowMs / 1000) return hit;
    const claims = await this.verifyAt(token, nowMs);
    this.cache.set(key, claims);
    return claims;
  }

  /** For revocation (RFC 7009) only: an expired token still names the session it came from. */
  async verifyAllowingExpiry(token: string, nowMs: number): Promise<AccessClaims> {
    let exp: unknown;
    try {
      exp = decodeJwt(token).exp;
    } catch {
      throw invalidToken("malformed");
    }
    const at = typeof exp === "number" ? Math.min(nowMs, exp * 1000 - 1000) : nowMs;
    return this.verifyAt(token, at);
  }

  private async verifyAt(token: string, nowMs: number): Promise<AccessClaims> {
    if (!token) throw invalidToken("missing");
    if (token.length > MAX_TOKEN_LENGTH || !isCanonicalCompactJws(token)) throw invalidToken("malformed");
    try {
      const { payload, protectedHeader } = await jwtVerify(
        token,
        (header: JWTHeaderParameters) => this.keyFor(header),
        {
          algorithms: this.algorithms,
          issuer: this.config.issuer,
          audience: this.config.audience,
          typ: ACCESS_TOKEN_TYP,
          clockTolerance: this.config.clockToleranceSeconds,
          currentDate: new Date(nowMs),
          requiredClaims: ["sub", "sid", "sv", "email", "jti", "iat", "exp"],
        },
      );
      if (protectedHeader.alg === "ES256" && !isLowS(token)) throw invalidToken("signature");
      const { sub, sid, sv, jti, iat, exp, email, name, email_verified, auth_time, amr, two_factor } = payload;
      if (
        typeof sub !== "string" ||
        typeof sid !== "string" ||
        typeof jti !== "string" ||
        typeof sv !== "number" ||
        !Number.isSafeInteger(sv) ||
        sv < 0 ||
        typeof iat !== "number" ||
        typeof exp !== "number" ||
        typeof email !== "string" ||
        (name !== undefined && typeof name !== "string") ||
        (email_verified !== undefined && typeof email_verified !== "boolean") ||
        (auth_time !== undefined && (typeof auth_time !== "number" || !Number.isSafeInteger(auth_time))) ||
        (amr !== undefined && !(Array.isArray(amr) && amr.every((value) => typeof value === "string"))) ||
        (two_factor !== undefined && typeof two_factor !== "boolean")
      ) {
        throw invalidToken("malformed");
      }
      // Tokens issued before these claims existed: not verified, authenticated long ago.
      return {
        sub,
        sid,
        sv,
        jti,
        iat,
        exp,
        email,
        name: name ?? null,
        email_verified: email_verified ?? false,
        auth_time: auth_time ?? 0,
        amr: (amr as string[] | undefined) ?? [],
        two_factor: two_factor ?? false,
      };
    } catch (error) {
      throw toInvalidToken(error);
    }
  }

  private keyFor(header: JWTHeaderParameters) {
    // Only our own keys, by kid: `jku`, `x5u` and embedded `jwk` headers are never followed.
    const entry = header.kid === undefined ? undefined : this.keys.verifying.get(header.kid);
    if (!entry || entry.alg !== header.alg) throw invalidToken("signature");
    return entry.key;
  }
}

/**
 * Three base64url segments, each in its one canonical spelling: a lenient decoder would accept
 * padding or different unused bits, giving one token several spellings (which matters wherever a
 * token string is a key: caches, deny-lists).
 */
function isCanonicalCompactJws(token: string): boolean {
  const parts = token.split(".");
  return (
    parts.length === 3 &&
    parts.every(
      (part) => /^[A-Za-z0-9_-]+$/.test(part) && Buffer.from(part, "base64url").toString("base64url") === part,
    )
  );
}

/** The order n of the P-256 group, and n / 2 (rounded down). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_ORDER = P256_ORDER >> 1n;

/** `s` of an ES256 token's raw 64-byte signature (r || s), or null when the signature is not 64 bytes. */
function signatureS(token: string): { r: Buffer; s: bigint } | null {
  const signature = Buffer.from(token.slice(token.lastIndexOf(".") + 1), "base64url");
  if (signature.length !== 64) return null;
  return { r: signature.subarray(0, 32), s: BigInt(`0x${signature.subarray(32).toString("hex")}`) };
}

/**
 * ECDSA signatures are malleable: when (r, s) verifies, so does (r, n - s), a second spelling of the
 * same token that nobody signed. Only the low-s one (s <= n/2) is accepted, the only one issued: a
 * token has one signature, like it has one base64url spelling (isCanonicalCompactJws).
 */
function isLowS(token: string): boolean {
  const parsed = signatureS(token);
  return parsed !== null && parsed.s <= P256_HALF_ORDER;
}

/** The same ES256 token with its signature in low-s form (unchanged when it already is). */
export function es256LowS(token: string): string {
  const parsed = signatureS(token);
  if (!parsed || parsed.s <= P256_HALF_ORDER) return token;
  const lowS = Buffer.from((P256_ORDER - parsed.s).toString(16).padStart(64, "0"), "hex");
  return `${token.slice(0, token.lastIndexOf(".") + 1)}${Buffer.concat([parsed.r, lowS]).toString("base64url")}`;
}

function toInvalidToken(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof joseErrors.JWTExpired) return invalidToken("expired");
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return invalidToken("signature");
  if (error instanceof joseErrors.JOSEError) return invalidToken("malformed");
  // Anything else (bad base64, bad JSON) is still just a bad token, never a 500.
  return invalidToken("malformed");
}
