import type { InvalidTokenReason } from "./errors";
import { parseIpAddress } from "./ip-address";
import type { DeviceListEntry, SessionWithUserEpoch } from "./ports";

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  /** The owner proved they receive mail at `email` (as of the access token's issue, for a token's holder). */
  emailVerified: boolean;
  /** Two-factor sign-in (TOTP) is on (as of the access token's issue, for a token's holder). */
  twoFactor: boolean;
}

/** A device as the owner sees it in the devices list. */
export interface SessionView {
  id: string;
  current: boolean;
  deviceName: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  ip: string | null;
  createdAt: string;
  lastActiveAt: string;
  /** How the device signed in: "password", "passkey", or an identity provider's id. */
  signInMethod: string;
  /** The session's `amr` (e.g. ["pwd", "otp", "mfa"] for a password and an authenticator code). */
  amr: string[];
}

export function toSessionView(session: DeviceListEntry, currentSessionId: string): SessionView {
  return {
    id: session.id,
    current: session.id === currentSessionId,
    deviceName: session.deviceName,
    browser: session.browser,
    os: session.os,
    deviceType: session.deviceType,
    ip: parseIpAddress(session.ip), // a row stored before addresses were checked may hold any text
    createdAt: session.createdAt.toISOString(),
    lastActiveAt: session.lastActiveAt.toISOString(),
    signInMethod: session.signInMethod,
    amr: session.amr,
  };
}

/** Not revoked, not outdated by an epoch bump, not idle or past its absolute lifetime. */
export function isLive(session: SessionWithUserEpoch, nowMs: number): boolean {
  return (
    session.revokedAt === null &&
    session.epoch >= session.userEpoch &&
    session.idleExpiresAt.getTime() > nowMs &&
    session.absoluteExpiresAt.getTime() > nowMs
  );
}

/** Why a session that is not live ended: signed out (revoked, outdated epoch) or simply expired. */
export function endedBecause(session: SessionWithUserEpoch): InvalidTokenReason {
  return session.revokedAt !== null || session.epoch < session.userEpoch ? "revoked" : "expired";
}
