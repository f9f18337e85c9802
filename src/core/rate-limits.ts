import { logAuthEvent, type AuthEventFields } from "./auth-events-log";
import { AuthError, errorMessage } from "./errors";
import type { Logger, RateLimiter } from "./ports";
import { sha256 } from "./crypto";
import { engineText } from "./messages";

export interface Limit {
  limit: number;
  windowSeconds: number;
}

/**
 * Defaults (multiplied by RATE_LIMIT_SCALE). Password failures (a wrong sign-in, or a wrong current
 * password at a password change: one budget) are counted per account *and IP*:
 * an attacker guessing passwords is stopped at 5 tries per 15 min from one address without locking
 * the owner out from theirs. The per-account ceiling (whatever the IP) is high and short, so a
 * distributed attack can hold an account for at most 5 minutes at a time. See SECURITY.md.
 */
export const defaultRateLimits = {
  signInPerIp: { limit: 30, windowSeconds: 60 },
  signInFailuresPerAccountAndIp: { limit: 5, windowSeconds: 900 },
  signInFailuresPerAccount: { limit: 50, windowSeconds: 300 },
  registerPerIp: { limit: 10, windowSeconds: 3600 },
  /** Counted only for tokens found genuine, so knowing a session id does not let anyone spend it. */
  refreshPerSession: { limit: 30, windowSeconds: 60 },
  /** Refused refresh tokens (malformed, forged, unknown or ended session, reused), per address. */
  refreshFailuresPerIp: { limit: 30, windowSeconds: 300 },
  /** Password reset emails asked for, per address and per email (whether or not it has an account). */
  passwordResetPerIp: { limit: 20, windowSeconds: 3600 },
  passwordResetPerEmail: { limit: 5, windowSeconds: 3600 },
  /** Verification and email-change links mailed, per account. */
  accountMailPerAccount: { limit: 5, windowSeconds: 3600 },
  /** Refused link tokens (password reset, email verification), per address. */
  linkTokenFailuresPerIp: { limit: 30, windowSeconds: 300 },
  /** Wrong client credentials at the introspection endpoint, per address (guessing a client secret). */
  clientAuthFailuresPerIp: { limit: 20, windowSeconds: 300 },
  /** Refused passkey sign-ins (unknown, removed or cloned credential, stale challenge), per address. */
  passkeyFailuresPerIp: { limit: 30, windowSeconds: 300 },
} satisfies Record<string, Limit>;

export type RateLimits = typeof defaultRateLimits;

export function scaleRateLimits(scale: number): RateLimits {
  const scaled = {} as Record<keyof RateLimits, Limit>;
  for (const [name, value] of Object.entries(defaultRateLimits) as [keyof RateLimits, Limit][]) {
    scaled[name] = { limit: Math.max(1, Math.round(value.limit * scale)), windowSeconds: value.windowSeconds };
  }
  return scaled;
}

function tooMany(resetInSeconds: number): AuthError {
  const message =
    resetInSeconds < 90
      ? engineText("rateLimit.seconds", { count: Math.max(1, Math.ceil(resetInSeconds)) })
      : engineText("rateLimit.minutes", { count: Math.ceil(resetInSeconds / 60) });
  return new AuthError("rate_limited", message, {
    retryAfterSeconds: Math.max(1, Math.ceil(resetInSeconds)),
  });
}

/**
 * The engine's rate-limit checks. A limiter that fails (Redis down) must not block people from
 * signing in: the error is logged and the request allowed (the server adapter already falls back
 * to per-instance memory, so this is the last resort).
 */
export class RateLimitPolicy {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: RateLimits,
    private readonly logger: Logger,
  ) {}

  /** Counts an attempt; throws `rate_limited` when over the limit. */
  private async consume(key: string, name: keyof RateLimits, event: AuthEventFields): Promise<void> {
    const limit = this.limits[name];
    const result = await this.safe(() => this.limiter.hit(key, limit.windowSeconds));
    if (result && result.count > limit.limit) throw this.refuse(name, event, result.resetInSeconds);
  }

  /** Throws `rate_limited` when the counter is already at its limit (does not count). */
  private async ensureBelow(key: string, name: keyof RateLimits, event: AuthEventFields): Promise<void> {
    const result = await this.safe(() => this.limiter.peek(key));
    if (result && result.count >= this.limits[name].limit) throw this.refuse(name, event, result.resetInSeconds);
  }

  private refuse(name: keyof RateLimits, event: AuthEventFields, resetInSeconds: number): AuthError {
    logAuthEvent(this.logger, "rate_limited", { ...event, limit: name });
    return tooMany(resetInSeconds);
  }

  private async safe<T>(run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      this.logger.warn("rate_limiter_unavailable", { error: errorMessage(error) });
      return null;
    }
  }

  /** Sign-in attempts per address, right or wrong (the password itself is budgeted by `beforePasswordCheck`). */
  async beforeSignIn(ip: string | null): Promise<void> {
    if (ip) await this.consume(`si:ip:${ip}`, "signInPerIp", { ip });
  }

  /**
   * Before any check of an account's password (sign-in, or the current password re-checked by a
   * password change): refused while that account's failures, from this address or from all of
   * them, are at their limit, even when the password would be right.
   */
  async beforePasswordCheck(email: string, ip: string | null): Promise<void> {
    await this.ensureBelow(accountKey(email, ip), "signInFailuresPerAccountAndIp", { ip });
    await this.ensureBelow(accountKey(email, null), "signInFailuresPerAccount", { ip });
  }

  async passwordCheckFailed(email: string, ip: string | null): Promise<void> {
    await this.safe(() =>
      this.limiter.hit(accountKey(email, ip), this.limits.signInFailuresPerAccountAndIp.windowSeconds),
    );
    await this.safe(() =>
      this.limiter.hit(accountKey(email, null), this.limits.signInFailuresPerAccount.windowSeconds),
    );
  }

  /** The owner proved the password from this address: forget its failures there. */
  async passwordCheckSucceeded(email: string, ip: string | null): Promise<void> {
    await this.safe(() => this.limiter.reset(accountKey(email, ip)));
  }

  /** A password reset email asked for: counted per address and per email, account or not. */
  async beforePasswordReset(email: string, ip: string | null): Promise<void> {
    if (ip) await this.consume(`pr:ip:${ip}`, "passwordResetPerIp", { ip });
    await this.consume(`pr:e:${sha256(email).slice(0, 22)}`, "passwordResetPerEmail", { ip });
  }

  /** A verification or email-change link about to be mailed for this account. */
  async beforeAccountMail(userId: string): Promise<void> {
    await this.consume(`am:${userId}`, "accountMailPerAccount", { userId });
  }

  /** Link tokens: an address over its budget of refused ones is refused before any check. */
  async beforeLinkToken(ip: string | null): Promise<void> {
    if (ip) await this.ensureBelow(`lt:f:${ip}`, "linkTokenFailuresPerIp", { ip });
  }

  async linkTokenFailed(ip: string | null): Promise<void> {
    if (ip) await this.countFailure(`lt:f:${ip}`, "linkTokenFailuresPerIp");
  }

  async beforeRegister(ip: string | null): Promise<void> {
    if (ip) await this.consume(`rg:ip:${ip}`, "registerPerIp", { ip });
  }

  /**
   * Refresh: an address over its budget of refused tokens is refused before any check, even with a
   * genuine token, so guessing (and the work each guess causes) stays bounded.
   */
  async beforeRefresh(ip: string | null): Promise<void> {
    if (ip) await this.ensureBelow(`rf:f:${ip}`, "refreshFailuresPerIp", { ip });
  }

  async refreshFailed(ip: string | null): Promise<void> {
    if (ip) await this.countFailure(`rf:f:${ip}`, "refreshFailuresPerIp");
  }

  /** A genuine token of this session is being used: counted against the session's own budget. */
  async refreshVerified(sessionId: string): Promise<void> {
    await this.consume(`rf:s:${sessionId}`, "refreshPerSession", { sessionId });
  }

  /**
   * Client authentication (introspection): an address over its failure limit is refused even with
   * the right secret, or the 429 would only mark the wrong guesses and the guessing would go on.
   */
  async beforeClientAuth(ip: string | null): Promise<void> {
    if (ip) await this.ensureBelow(`ca:f:${ip}`, "clientAuthFailuresPerIp", { ip });
  }

  async clientAuthFailed(ip: string | null): Promise<void> {
    if (ip) await this.countFailure(`ca:f:${ip}`, "clientAuthFailuresPerIp");
  }

  /** Passkey sign-in: an address over its budget of refused answers is refused before any check. */
  async beforePasskeySignIn(ip: string | null): Promise<void> {
    if (ip) await this.ensureBelow(`pk:f:${ip}`, "passkeyFailuresPerIp", { ip });
  }

  async passkeySignInFailed(ip: string | null): Promise<void> {
    if (ip) await this.countFailure(`pk:f:${ip}`, "passkeyFailuresPerIp");
  }

  private async countFailure(key: string, name: keyof RateLimits): Promise<void> {
    await this.safe(() => this.limiter.hit(key, this.limits[name].windowSeconds));
  }
}

/** Emails are hashed in keys: Redis holds no address book. */
function accountKey(email: string, ip: string | null): string {
  const account = sha256(email).slice(0, 22);
  return ip ? `si:f:${account}:${ip}` : `si:f:${account}`;
}
