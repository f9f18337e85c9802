/**
 * What the engine needs from the outside world. Adapters live in src/server (Prisma, ioredis,
 * argon2); unit tests use the in-memory fakes in tests/support/fakes.ts.
 */

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  /** Null for an account created through an identity provider that has not set a password. */
  passwordHash: string | null;
  sessionEpoch: number;
  /** Set while an administrator has disabled the account: no sign-in. */
  disabledAt: Date | null;
  /** When the owner proved they receive mail at `email` (a verification link); null until then. */
  emailVerifiedAt: Date | null;
  /** TOTP is on: a password sign-in needs a code (or a recovery code) as its second step. */
  twoFactorEnabled: boolean;
  /** The language the owner reads (a tag such as "zh-CN"); absent or null: English. Only the mail uses it. */
  locale?: string | null;
}

/**
 * How a device signed in: "password" (with or without a second factor), "passkey", or the id of an
 * identity provider ("oidc", "github"). Shown per device.
 */
export type SignInMethod = string;

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
  /** How this device signed in (see `SignInMethod`). */
  signInMethod: SignInMethod;
  /**
   * The access token's `amr` (RFC 8176: "pwd", "otp", "mfa", "hwk", "user"; "fed" for an identity
   * provider), set at sign-in and kept by refreshes.
   */
  amr: string[];
}

/** What the devices list shows of a session: only these columns are read. */
export type DeviceListEntry = Pick<
  SessionRecord,
  "id" | "deviceName" | "browser" | "os" | "deviceType" | "ip" | "createdAt" | "lastActiveAt" | "signInMethod" | "amr"
>;

/** A session together with its user's current epoch (and who they are), read in one query. */
export interface SessionWithUserEpoch extends SessionRecord {
  userEpoch: number;
  userEmail: string;
  userName: string | null;
  userEmailVerified: boolean;
  userTwoFactor: boolean;
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
  create(user: {
    id: string;
    email: string;
    name: string | null;
    passwordHash: string;
    locale?: string | null;
  }): Promise<UserRecord | null>;
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
  | "email_changed"
  | SignInMethodChange;

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
  /** The recipient's language (`UserRecord.locale`). */
  locale?: string | null;
  device: string;
  ip: string | null;
  at: Date;
}

/**
 * The account emails the engine sends, as data: the adapter (src/server/mail) words each one and
 * builds its links from APP_URL. `token` is a link's secret: it goes into the email and nowhere else.
 * `locale` is the recipient's language (`UserRecord.locale`), the one it is worded in.
 */
export type AccountMail = { locale?: string | null } &
  /** "Reset your password": a link to /reset-password?token=..., valid until `expiresAt`. */
  (
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
    | { kind: "account_deleted"; to: string; name: string | null; at: Date }
    /**
     * A change to the ways into the account: two-factor sign-in turned on or off, a recovery code
     * used (`remaining` left), recovery codes replaced, a passkey added or removed (`detail`: its
     * name), an identity provider connected or disconnected (`detail`: its display name).
     */
    | {
        kind: "sign_in_methods_changed";
        to: string;
        name: string | null;
        change: SignInMethodChange;
        detail: string | null;
        remaining?: number;
        at: Date;
        ip: string | null;
      }
  );

/** A change to the ways into an account: an event of its own, and the subject of a mail. */
export type SignInMethodChange =
  | "two_factor_enabled"
  | "two_factor_disabled"
  | "recovery_code_used"
  | "recovery_codes_regenerated"
  | "passkey_added"
  | "passkey_removed"
  | "identity_linked"
  | "identity_unlinked";

/** Email to the account owner (SMTP, or the outbox table in development). Best effort. */
export interface SecurityMailer {
  newDeviceSignIn(alert: NewDeviceAlert): Promise<void>;
  send(mail: AccountMail): Promise<void>;
}

/** What a one-time link token is for. */
export type AccountTokenPurpose = "password_reset" | "email_verification" | "email_change";

/**
 * The links a new password voids: a reset link sent before it, and an email change asked for before
 * it (by someone who knew the old password and wants the account moved to their own address).
 */
export const LINKS_VOIDED_BY_PASSWORD: readonly AccountTokenPurpose[] = ["password_reset", "email_change"];

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

// ---- second factors, passkeys, identity providers -----------------------------------------------

/** What a short-lived sign-in challenge is for (see `ChallengeRepository`). */
export type ChallengePurpose = "mfa" | "passkey_registration" | "passkey_sign_in";

/** A challenge as stored: its SHA-256 only (an mfa_token, or a WebAuthn challenge). */
export interface ChallengeRecord {
  tokenHash: string;
  purpose: ChallengePurpose;
  /** Whose ceremony it is; null for a passkey sign-in (the passkey tells who). */
  userId: string | null;
  /** mfa: the user's epoch when the password was right; a later raise voids the challenge. */
  epoch: number | null;
  /** mfa: the device name the sign-in asked for. */
  deviceName: string | null;
  /** Wrong answers so far. */
  attempts: number;
  createdAt: Date;
  expiresAt: Date;
}

/** Short-lived, single-use challenges: the second step of a sign-in, WebAuthn ceremonies. */
export interface ChallengeRepository {
  create(challenge: Omit<ChallengeRecord, "attempts">): Promise<void>;
  /** The unexpired challenge with this hash and purpose, or null. Does not use it up. */
  find(tokenHash: string, purpose: ChallengePurpose, now: Date): Promise<ChallengeRecord | null>;
  /** Uses it up (deletes it): the record for exactly one of concurrent callers, null for the others. */
  consume(tokenHash: string, purpose: ChallengePurpose, now: Date): Promise<ChallengeRecord | null>;
  /** Counts a wrong answer; deletes the challenge once `maxAttempts` are reached. */
  countFailure(tokenHash: string, maxAttempts: number): Promise<void>;
}

/** An account's TOTP secret as stored (sealed, see `SecretBox`). */
export interface TotpRecord {
  secretSealed: string;
  createdAt: Date;
  /** Null while set-up waits for the first code. */
  enabledAt: Date | null;
  lastUsedStep: number | null;
}

/** TOTP secrets and recovery codes (SHA-256 only). */
export interface TwoFactorRepository {
  findTotp(userId: string): Promise<TotpRecord | null>;
  /** Stores a new pending secret (replacing a pending one); false when TOTP is already on. */
  savePendingTotp(userId: string, secretSealed: string, now: Date): Promise<boolean>;
  /**
   * Turns the pending secret on, only while it is still `secretSealed` and not on, with these
   * recovery codes (replacing any), and marks `step` used. False (nothing written) otherwise.
   */
  enableTotp(args: {
    userId: string;
    secretSealed: string;
    recoveryCodeHashes: string[];
    step: number;
    now: Date;
  }): Promise<boolean>;
  /** Marks a time step used: true only when it is later than the last one used (one caller wins). */
  useTotpStep(userId: string, step: number): Promise<boolean>;
  /** Uses an unused recovery code: true for exactly one caller. */
  useRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean>;
  /** Unused recovery codes left. */
  countRecoveryCodes(userId: string): Promise<number>;
  /** Replaces every recovery code (used or not) while TOTP is on; false when it is not. */
  replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<boolean>;
  /** Turns TOTP off: the secret and the recovery codes are deleted. False when it was not on. */
  disableTotp(userId: string): Promise<boolean>;
}

/** A WebAuthn credential. */
export interface PasskeyRecord {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  name: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A linked account at an identity provider. */
export interface IdentityRecord {
  provider: string;
  subject: string;
  userId: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A way into an account that can be removed. */
export type WayIn = { kind: "passkey"; id: string } | { kind: "identity"; provider: string };

/** What removing a way in did. */
export type WayInRemoval = "removed" | "not_found" | "last_way_in";

/** Passkeys and linked identities: the ways into an account besides the password. */
export interface SignInMethodRepository {
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
  findPasskey(credentialId: string): Promise<PasskeyRecord | null>;
  /** False when a passkey with this id exists already. */
  addPasskey(passkey: PasskeyRecord): Promise<boolean>;
  /**
   * Records a sign-in with the passkey: the new counter (compare-and-set on `expectedCounter`) and
   * the time. False when the counter moved meanwhile or the passkey is gone.
   */
  recordPasskeyUse(
    credentialId: string,
    args: { expectedCounter: number; newCounter: number; now: Date },
  ): Promise<boolean>;
  findIdentity(provider: string, subject: string): Promise<IdentityRecord | null>;
  listIdentities(userId: string): Promise<IdentityRecord[]>;
  /** "taken": this identity is linked to some account, or this account has one of this provider. */
  linkIdentity(identity: IdentityRecord): Promise<"linked" | "taken">;
  recordIdentityUse(provider: string, subject: string, now: Date): Promise<void>;
  /**
   * Creates an account without a password and links the identity to it, in one transaction. Null
   * when the email is taken (or the identity is linked meanwhile).
   */
  createUserWithIdentity(
    user: { id: string; email: string; name: string | null; emailVerifiedAt: Date | null; locale?: string | null },
    identity: IdentityRecord,
  ): Promise<UserRecord | null>;
  /**
   * Removes a passkey or an identity of the user unless it is the account's last way in (no
   * password, no other passkey or identity): decided under the lock on the user's row, so two
   * removals at once cannot leave an account no one can enter.
   */
  removeWayIn(userId: string, wayIn: WayIn): Promise<WayInRemoval>;
}

/** Seals secrets at rest (AES-256-GCM under a key derived from AUTH_SECRET, src/core/crypto.ts). */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws when the sealed text was not sealed with this key or was altered. */
  open(sealed: string): string;
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
