import { logAuthEvent } from "./auth-events-log";
import type { EngineDeps } from "./deps";
import { clampUserAgent, describeDevice } from "./device";
import { accountDisabled } from "./errors";
import { newSessionId } from "./ids";
import type { createSignInRecorder } from "./new-device";
import { NEW_SESSION_STATE, type SessionWithUserEpoch, type SignInMethod, type UserRecord } from "./ports";
import type { RevocationFanout } from "./revocation-fanout";
import type { RequestContext, TokenPair } from "./session-engine";
import { createSessionWithinLimit } from "./session-limit";

/** How a sign-in proved who it is: stored on the device session, carried by its tokens as `amr`. */
export interface SignInProof {
  method: SignInMethod;
  /** RFC 8176 values: ["pwd"], ["pwd", "otp", "mfa"], ["hwk", "user"], ["fed"]. */
  amr: string[];
  /** The name the client gave the device, if any. */
  deviceName?: string | null;
}

/** A session's access token, with the refresh token the caller minted: what every grant answers. */
export type PairIssuer = (
  session: SessionWithUserEpoch,
  epoch: number,
  refreshToken: string,
  nowMs: number,
) => Promise<TokenPair>;

export function createPairIssuer(deps: Pick<EngineDeps, "accessTokens">): PairIssuer {
  return async function issuePair(session, epoch, refreshToken, nowMs) {
    const access = await deps.accessTokens.issue({
      userId: session.userId,
      email: session.userEmail,
      name: session.userName,
      sessionId: session.id,
      epoch,
      emailVerified: session.userEmailVerified,
      authTimeMs: session.authTime.getTime(),
      amr: session.amr,
      twoFactor: session.userTwoFactor,
      nowMs,
      notAfterMs: session.absoluteExpiresAt.getTime(),
    });
    return {
      accessToken: access.token,
      tokenType: "Bearer",
      expiresIn: access.expiresIn,
      refreshToken,
      sessionId: session.id,
    };
  };
}

/**
 * Sign-in refuses a disabled account, but only once the first factor has been verified: someone
 * guessing gets "Wrong email or password." like for any other account and learns nothing.
 */
export function ensureEnabled(user: UserRecord, deps: Pick<EngineDeps, "logger">, ip: string | null): void {
  if (!user.disabledAt) return;
  logAuthEvent(deps.logger, "sign_in_failed", { userId: user.id, ip, reason: "account_disabled" });
  throw accountDisabled();
}

/**
 * The one way a device session is born, whatever proved who the person is (password, password and
 * a second factor, passkey, identity provider): a new session row (within the per-user limit), the
 * `signed_in` event with new-device detection, and its first token pair. Call it only once every
 * factor the sign-in needs has been verified.
 */
export type SessionStarter = (user: UserRecord, proof: SignInProof, context: RequestContext) => Promise<TokenPair>;

export function createSessionStarter(
  deps: EngineDeps,
  parts: { fanout: RevocationFanout; recordSignIn: ReturnType<typeof createSignInRecorder>; issuePair: PairIssuer },
): SessionStarter {
  const { config, refreshTokens, clock } = deps;
  return async function startSession(user, proof, context) {
    ensureEnabled(user, deps, context.ip);
    const nowMs = clock();
    const now = new Date(nowMs);
    const id = newSessionId();
    const refreshToken = refreshTokens.mint(id, user.sessionEpoch);
    const record = {
      id,
      userId: user.id,
      epoch: user.sessionEpoch,
      deviceName: proof.deviceName ?? null,
      userAgent: clampUserAgent(context.userAgent),
      ...describeDevice(context.userAgent),
      ip: context.ip,
      createdAt: now,
      lastActiveAt: now,
      idleExpiresAt: new Date(nowMs + config.sessionIdleTtlSeconds * 1000),
      absoluteExpiresAt: new Date(nowMs + config.sessionAbsoluteTtlSeconds * 1000),
      refreshHash: refreshTokens.hash(refreshToken),
      authTime: now,
      signInMethod: proof.method,
      amr: proof.amr,
    };
    const displaced = await createSessionWithinLimit(deps.sessions, config, record);
    await parts.recordSignIn(user, record); // the signed_in event; new device: notice + email (ADR 8)
    await parts.fanout.sessionsRevoked(user.id, displaced, "session_limit", null);
    return parts.issuePair(
      {
        ...record,
        ...NEW_SESSION_STATE,
        userEpoch: user.sessionEpoch,
        userEmail: user.email,
        userName: user.name,
        userEmailVerified: user.emailVerifiedAt !== null,
        userTwoFactor: user.twoFactorEnabled,
      },
      user.sessionEpoch,
      refreshToken,
      nowMs,
    );
  };
}
