/** Lifetimes and identifiers the engine runs with. Validated from the environment by src/server/env.ts. */
export interface EngineConfig {
  /** `iss` of every access token, and the only one accepted. */
  issuer: string;
  /** `aud` of every access token, and the only one accepted. */
  audience: string;
  /** Access-token lifetime. Short: a token's copies die on their own within this time. */
  accessTokenTtlSeconds: number;
  /** Accepted clock skew between the issuer and a verifier. */
  clockToleranceSeconds: number;
  /** Window in which a just-rotated refresh token still yields the same successor (parallel tabs). */
  refreshGraceSeconds: number;
  /** A session unused for this long is over. */
  sessionIdleTtlSeconds: number;
  /** A session is over this long after sign-in, however active. */
  sessionAbsoluteTtlSeconds: number;
  /** Live sessions a user may have; a sign-in beyond it signs the oldest out. 0 or unset = unlimited. */
  maxSessionsPerUser?: number;
  /**
   * Irreversible changes (email, account deletion, second factors) need the password in the request
   * or a token whose `auth_time` is at most this old (RFC 9470 `max_age`).
   */
  reauthMaxAgeSeconds: number;
  /** How long a password reset link works. */
  passwordResetTtlSeconds: number;
  /** How long an email verification (or email change) link works. */
  emailVerificationTtlSeconds: number;
  /** The app's name: the issuer authenticator apps show for its TOTP codes, the passkeys' relying party name. */
  appName: string;
  /** The app's web origin (from APP_URL): the origin WebAuthn ceremonies must come from; its host is the RP id. */
  appOrigin: string;
}

export const defaultEngineConfig: Omit<EngineConfig, "issuer" | "audience"> = {
  accessTokenTtlSeconds: 300,
  clockToleranceSeconds: 5,
  refreshGraceSeconds: 10,
  sessionIdleTtlSeconds: 14 * 24 * 3600,
  sessionAbsoluteTtlSeconds: 90 * 24 * 3600,
  reauthMaxAgeSeconds: 600,
  passwordResetTtlSeconds: 1800,
  emailVerificationTtlSeconds: 24 * 3600,
  appName: "Revocable Sessions",
  appOrigin: "http://localhost:3000",
};

/**
 * How long a revocation must be remembered by the revocation store: as long as any token issued
 * before it can still be accepted (lifetime + skew), plus a margin. After that, memory is freed.
 */
export function revocationTtlSeconds(config: EngineConfig): number {
  return config.accessTokenTtlSeconds + config.clockToleranceSeconds + 5;
}
