/**
 * What the engine needs from the outside world. Adapters live in src/server (Prisma, ioredis,
 * argon2); unit tests use the in-memory fakes in tests/support/fakes.ts.
 */

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  sessionEpoch: number;
  /** Set while an administrator has disabled the account: no sign-in. */
  disabledAt: Date | null;
  /** When the owner proved they receive mail at `email` (a verification link); null until then. */
  emailVerifiedAt: Date | null;
}

export interface SessionRecord {
  id: string;
  userId: string;
  epoch: number;
  deviceName: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  ip: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  revokedBy: string | null;
  refreshHash: string | null;
  previousRefreshHash: string | null;
  refreshRotatedAt: Date | null;
  refreshGeneration: number;
  /**
   * When the holder last proved who they are (the password at sign-in or at a password change):
   * the access token's `auth_time`, kept across refreshes. Re-authentication rules read it.
   */
  authTime: Date;
}

/** What the devices list shows of a session: only these columns are read. */
export type DeviceListEntry = Pick<
  SessionRecord,
  "id" | "deviceName" | "browser" | "os" | "deviceType" | "ip" | "createdAt" | "lastActiveAt"
>;

/** A session together with its user's current epoch (and who they are), read in one query. */
export interface SessionWithUserEpoch extends SessionRecord {
  userEpoch: number;
  userEmail: string;
  userName: string | null;
  userEmailVerified: boolean;
}

/** What every session starts with: live, never rotated (the database's column defaults say the same). */
export const NEW_SESSION_STATE = {
  revokedAt: null,
  revokedReason: null,
  revokedBy: null,
  previousRefreshHash: null,
  refreshRotatedAt: null,
  refreshGeneration: 0,
} as const satisfies Partial<SessionRecord>;

export type NewSessionRecord = Omit<SessionRecord, keyof typeof NEW_SESSION_STATE>;

export type RevocationReason =
  | "logout"
  | "revoked_by_user"
  | "logout_others"
  | "logout_everywhere"
  | "password_change"
  | "refresh_token_reused"
  | "revoked_by_admin"
  | "user_disabled"
  | "session_limit"
  | "password_reset"
  | "account_deleted";

export interface RevokeCommand {
  userId: string;
  reason: RevocationReason;
  /** The session that asked, or null when the system decided. */
  revokedBy: string | null;
  now: Date;
}

export interface ChangePasswordCommand {
  userId: string;
  expectedPasswordHash: string;
  expectedEpoch: number;
  newPasswordHash: string;
  currentSessionId: string;
  newRefreshHash: string;
  now: Date;
  idleExpiresAt: Date;
}

export interface UserRepository {
  findByEmail(email: string): Promise<UserRecord | null>;
  findById(id: string): Promise<UserRecord | null>;
  /** Returns null when the (normalised) email is already taken. */
  create(user: { id: string; email: string; name: string | null; passwordHash: string }): Promise<UserRecord | null>;
  /**
   * Marks the user disabled and raises the epoch in one write (every token dead at once). Returns
   * the new epoch, or null when the user does not exist or is already disabled.
   */
  disable(userId: string, now: Date): Promise<number | null>;
  /** Clears the mark; false when the user does not exist or was not disabled. The epoch stays. */
  enable(userId: string): Promise<boolean>;
}

export interface SessionRepository {
  create(session: NewSessionRecord): Promise<void>;
  /**
   * Creates the session and, in the same transaction under a lock on the user's row (so concurrent
   * sign-ins of one user take turns), revokes the oldest live sessions (by creation) beyond `max`,
   * never the new one. Returns the ids it revoked.
   */
  createWithinLimit(session: NewSessionRecord, max: number, command: RevokeCommand): Promise<string[]>;
  findById(id: string): Promise<SessionWithUserEpoch | null>;
  /**
   * Compare-and-set rotation: succeeds only while the stored hash is still `expectedHash`, the session
   * is not revoked and its epoch is current. Concurrent callers race on this one statement.
   */
  rotateRefreshToken(args: {
    id: string;
    expectedHash: string;
    newHash: string;
    now: Date;
    idleExpiresAt: Date;
  }): Promise<boolean>;
  /** Live sessions (not revoked, current epoch, not expired), most recently active first. */
  listActive(userId: string, now: Date): Promise<DeviceListEntry[]>;
  /** Revokes one live session of `userId`; null when there is no such live session. */
  revoke(id: string, command: RevokeCommand): Promise<SessionRecord | null>;
  /** Revokes every live session of the user but `exceptId`; returns the ids it revoked. */
  revokeAllExcept(exceptId: string, command: RevokeCommand): Promise<string[]>;
  /**
   * Raise the user's epoch by one: every session born before is dead from now on, whatever their
   * number, in one write (rows are not rewritten). Returns the new epoch.
   */
  revokeEverywhere(command: RevokeCommand): Promise<number>;
  /**
   * One transaction: store the new hash (only if the password is still `expectedPasswordHash` and
   * the epoch still `expectedEpoch`), raise the epoch (which kills every other session), move the
   * current one to the new epoch with a new refresh-token hash. Null when the password, the epoch
   * or the session changed concurrently (nothing written): a "log out everywhere" that completed
   * meanwhile must not be undone for this device.
   */
  changePassword(command: ChangePasswordCommand): Promise<{ epoch: number } | null>;
  /** Revocations and epoch changes since `since`: what a wiped revocation store must learn again. */
  recentRevocations(since: Date): Promise<RevocationSnapshot>;
}

/** The epoch a deleted account's tokens are held to: none reaches it. */
export const DELETED_ACCOUNT_EPOCH = Number.MAX_SAFE_INTEGER;

export interface RevocationSnapshot {
  sessions: { sessionId: string; userId: string; revokedAt: Date }[];
  epochs: { userId: string; epoch: number; changedAt: Date }[];
}

export type SessionEventType =
  | "user_registered"
  | "signed_in"
  | "session_revoked"
  | "refresh_token_reused"
  | "password_changed"
  | "user_disabled"
  | "user_enabled"
  | "password_reset_requested"
  | "password_reset"
  | "email_verified"
  | "email_change_requested"
  | "email_changed";

export interface SessionEventInput {
  userId: string;
  sessionId: string | null;
  type: SessionEventType;
  reason?: string | null;
  actorSessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The device the event is about ("Firefox on Linux"); when omitted, the log snapshots it from `sessionId`. */
  device?: string | null;
  /** A sign-in from a device this user had not used before (see src/core/new-device.ts). */
  newDevice?: boolean;
  /** A security email about this event went to an address the owner has not verified (ADR 15). */
  mailUnverified?: boolean;
}

export interface EventLog {
  /**
   * Appends events. The activity page must still describe them after old session rows are
   * cleaned up, so the log stores, at event time, the device (and IP) of `sessionId` and the
   * device of `actorSessionId` when the caller did not give them.
   */
  record(events: SessionEventInput[]): Promise<void>;
}

/** One stored event as the activity page reads it (see src/core/activity.ts). */
export interface ActivityRecord {
  /** The event's id: a decimal integer, increasing with time (the page's keyset). */
  id: string;
  type: string;
  reason: string | null;
  sessionId: string | null;
  actorSessionId: string | null;
  device: string | null;
  actorDevice: string | null;
  ip: string | null;
  newDevice: boolean;
  mailUnverified: boolean;
  createdAt: Date;
}

export interface ActivityLog {
  /**
   * Up to `limit` events of the user, types in `hiddenTypes` left out: with `direction` "older",
   * those with an id below `from` (all when null), newest first; with "newer", those with an id
   * above `from`, oldest first.
   */
  list(
    userId: string,
    query: { direction: "older" | "newer"; from: string | null; limit: number; hiddenTypes: readonly string[] },
  ): Promise<ActivityRecord[]>;
}

/** Devices (a key of browser + OS + type) each user has signed in from; outlives session rows. */
export interface KnownDeviceRepository {
  /**
   * Records that the user signed in from `deviceKey` now. `firstSeen`: this key was not known for
   * the user (exactly one of several concurrent callers sees true); `hadOtherDevices`, looked up
   * only then (false otherwise): the user had signed in from some other device before.
   */
  remember(userId: string, deviceKey: string, now: Date): Promise<{ firstSeen: boolean; hadOtherDevices: boolean }>;
}

/** What a "new sign-in to your account" email says (the adapter words it and sends it). */
export interface NewDeviceAlert {
  userId: string;
  email: string;
  name: string | null;
  device: string;
  ip: string | null;
  at: Date;
}

/**
 * The account emails the engine sends, as data: the adapter (src/server/mail) words each one and
 * builds its links from APP_URL. `token` is a link's secret: it goes into the email and nowhere else.
 */
export type AccountMail =
  /** "Reset your password": a link to /reset-password?token=..., valid until `expiresAt`. */
  | { kind: "password_reset_link"; to: string; name: string | null; token: string; expiresAt: Date }
  /** "Your password was reset": every device was signed out. */
  | { kind: "password_reset_done"; to: string; name: string | null; at: Date; ip: string | null }
  /** "Verify your email": a link to /verify-email?token=... (after registration, or asked again). */
  | { kind: "email_verification_link"; to: string; name: string | null; token: string; expiresAt: Date }
  /** To the new address of an email change: the link that makes the change. */
  | { kind: "email_change_link"; to: string; name: string | null; token: string; expiresAt: Date; oldEmail: string }
  /** To the old address: a change to `newEmail` was asked for (nothing changes until the link is used). */
  | { kind: "email_change_requested"; to: string; name: string | null; newEmail: string; at: Date }
  /** To the old address: the account's email is now `newEmail`. */
  | { kind: "email_changed"; to: string; name: string | null; newEmail: string; at: Date }
  /** The account and everything in it were deleted. */
  | { kind: "account_deleted"; to: string; name: string | null; at: Date };

/** Email to the account owner (SMTP, or the outbox table in development). Best effort. */
export interface SecurityMailer {
  newDeviceSignIn(alert: NewDeviceAlert): Promise<void>;
  send(mail: AccountMail): Promise<void>;
}

/** What a one-time link token is for. */
export type AccountTokenPurpose = "password_reset" | "email_verification" | "email_change";

/** A one-time link token as stored: its SHA-256 only, never the token. */
export interface AccountTokenRecord {
  userId: string;
  purpose: AccountTokenPurpose;
  tokenHash: string;
  /** The account's address when the link was sent: the link dies if the address changes meanwhile. */
  email: string;
  /** For `email_change`: the address the account moves to. */
  newEmail: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** What using an email link did. */
export type EmailConfirmation =
  | { kind: "verified"; user: UserRecord }
  | { kind: "changed"; user: UserRecord; previousEmail: string }
  /** An email change whose new address another account took meanwhile (the link is used up). */
  | { kind: "email_taken"; user: UserRecord };

/**
 * One-time link tokens (password reset, email verification and change) and the account changes
 * they make, each in one transaction; and account deletion.
 */
export interface AccountRepository {
  /** Stores a token; the user's earlier unused tokens of the same purpose stop working. */
  issueToken(token: AccountTokenRecord): Promise<void>;
  /**
   * Uses a `password_reset` token (unused, unexpired, the account's address unchanged since) and in
   * the same transaction sets the password, raises the epoch and drops the user's other reset
   * tokens. Null (nothing written) when the token is not valid.
   */
  resetPassword(args: { tokenHash: string; newPasswordHash: string; now: Date }): Promise<{
    user: UserRecord;
    epoch: number;
  } | null>;
  /** Uses an `email_verification` or `email_change` token; null when it is not valid. */
  confirmEmail(args: { tokenHash: string; now: Date }): Promise<EmailConfirmation | null>;
  /**
   * Deletes the user and every row of theirs (sessions, events, devices, tokens), under the lock
   * on the user's row that sign-ins take. Returns the ids of the sessions that were live, or null
   * when there is no such user.
   */
  deleteUser(userId: string, now: Date): Promise<string[] | null>;
}

/** What the revocation store knows about one token's session and user. */
export interface RevocationState {
  sessionRevoked: boolean;
  /** Tokens with `sv` below this are refused; null when the epoch has not moved recently. */
  minEpoch: number | null;
}

/**
 * The per-request check's fast path (Redis, or process memory). Entries expire after
 * `revocationTtlSeconds`: by then every token they could refuse has expired anyway.
 */
export interface RevocationStore {
  readonly kind: "redis" | "memory";
  /** Null when the store cannot answer with certainty (down, wiped, resyncing): fall back to the DB. */
  check(sessionId: string, userId: string): Promise<RevocationState | null>;
  revokeSessions(sessionIds: string[], ttlSeconds: number): Promise<void>;
  raiseEpoch(userId: string, epoch: number, ttlSeconds: number): Promise<void>;
}

/** Pushes revocations (and new-device notices) to open browsers (server-sent events), across instances when Redis is used. */
export type RevocationNotice =
  | { type: "sessions_revoked"; userId: string; sessionIds: string[]; reason: RevocationReason }
  | { type: "epoch_raised"; userId: string; epoch: number; keepSessionId: string | null; reason: RevocationReason }
  | NewDeviceNotice;

/** Not a revocation: tells the user's other open sessions about a sign-in from a new device. */
export type NewDeviceNotice = {
  type: "new_device_sign_in";
  userId: string;
  sessionId: string;
  device: string;
  ip: string | null;
  at: string;
};

export interface RevocationNotifier {
  publish(notice: RevocationNotice): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;

/** Structured log sink. Never pass secrets (passwords, tokens, hashes) in `fields`. */
export interface Logger {
  /** Optional: high-volume events (e.g. every token refresh). */
  debug?(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Fixed-window counters for rate limits (Redis across instances, or process memory). */
export interface RateLimiter {
  /** Counts one event under `key`; returns the count in the current window and the seconds left. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetInSeconds: number }>;
  /** The current count without counting. */
  peek(key: string): Promise<{ count: number; resetInSeconds: number }>;
  reset(key: string): Promise<void>;
}
