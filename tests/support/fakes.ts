/**
 * In-memory fakes of the engine's ports, for unit tests of src/core only. Integration tests use the
 * real adapters (Prisma on PostgreSQL/PGlite, Redis).
 */
import { AccessTokens } from "@/core/access-tokens";
import { defaultEngineConfig, type EngineConfig } from "@/core/config";
import type { EngineDeps } from "@/core/deps";
import type {
  AccountMail,
  AccountRepository,
  AccountTokenPurpose,
  AccountTokenRecord,
  ChallengePurpose,
  ChallengeRecord,
  ChallengeRepository,
  ChangePasswordCommand,
  EmailConfirmation,
  EventLog,
  KnownDeviceRepository,
  Logger,
  NewDeviceAlert,
  NewSessionRecord,
  PasswordHasher,
  RevocationNotice,
  RevocationNotifier,
  RevocationState,
  RevocationStore,
  RevokeCommand,
  SecurityMailer,
  SessionEventInput,
  SessionRecord,
  SessionRepository,
  SessionWithUserEpoch,
  UserRecord,
  UserRepository,
} from "@/core/ports";
import { LINKS_VOIDED_BY_PASSWORD, NEW_SESSION_STATE } from "@/core/ports";
import { RateLimitPolicy, scaleRateLimits } from "@/core/rate-limits";
import { RefreshTokens } from "@/core/refresh-tokens";
import { MemoryRateLimiter } from "@/server/rate-limit/memory-rate-limiter";
import { createSessionEngine } from "@/core/session-engine";
import { createSecretBox } from "@/core/crypto";
import { FakeSignInMethods } from "./fake-sign-in-methods";
import { FakeTwoFactor } from "./fake-two-factor";
import { generateSigningKey, loadKeyRing } from "@/core/signing-keys";

export class FakeUsers implements UserRepository {
  readonly rows = new Map<string, UserRecord>();
  /** The account_tokens table (kept here: password changes and deletions reach it too). */
  tokens: AccountTokenRecord[] = [];
  async findByEmail(email: string) {
    return [...this.rows.values()].find((u) => u.email === email) ?? null;
  }
  async findById(id: string) {
    return this.rows.get(id) ?? null;
  }
  async create(user: { id: string; email: string; name: string | null; passwordHash: string }) {
    if (await this.findByEmail(user.email)) return null;
    const row: UserRecord = {
      ...user,
      sessionEpoch: 0,
      disabledAt: null,
      emailVerifiedAt: null,
      twoFactorEnabled: false,
    };
    this.rows.set(user.id, row);
    return row;
  }
  async disable(userId: string, now: Date) {
    const user = this.rows.get(userId);
    if (!user || user.disabledAt) return null;
    user.disabledAt = now;
    user.sessionEpoch += 1;
    return user.sessionEpoch;
  }
  async enable(userId: string) {
    const user = this.rows.get(userId);
    if (!user?.disabledAt) return false;
    user.disabledAt = null;
    return true;
  }
}

export class FakeSessions implements SessionRepository {
  readonly rows = new Map<string, SessionRecord>();
  /** Set to make every call fail, like a database that went away. */
  down = false;
  constructor(private readonly users: FakeUsers) {}

  private check() {
    if (this.down) throw new Error("database unreachable");
  }
  private live(row: SessionRecord, now: Date) {
    const user = this.users.rows.get(row.userId);
    return (
      row.revokedAt === null &&
      row.epoch >= (user?.sessionEpoch ?? 0) &&
      row.idleExpiresAt > now &&
      row.absoluteExpiresAt > now
    );
  }
  private insert(session: NewSessionRecord) {
    this.rows.set(session.id, {
      ...session,
      ...NEW_SESSION_STATE,
    });
  }
  private mark(row: SessionRecord, command: RevokeCommand) {
    row.revokedAt = command.now;
    row.revokedReason = command.reason;
    row.revokedBy = command.revokedBy;
  }
  async create(session: NewSessionRecord) {
    this.check();
    this.insert(session);
  }
  /** No await inside: atomic, like the real one under its lock on the user's row. */
  async createWithinLimit(session: NewSessionRecord, max: number, command: RevokeCommand) {
    this.check();
    this.insert(session);
    const others = [...this.rows.values()]
      .filter((r) => r.userId === session.userId && r.id !== session.id && this.live(r, command.now))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const victims = others.slice(Math.max(0, max - 1));
    victims.forEach((row) => this.mark(row, command));
    return victims.map((row) => row.id);
  }
  async findById(id: string): Promise<SessionWithUserEpoch | null> {
    this.check();
    const row = this.rows.get(id);
    if (!row) return null;
    const user = this.users.rows.get(row.userId);
    return {
      ...row,
      userEpoch: user?.sessionEpoch ?? 0,
      userEmail: user?.email ?? "",
      userName: user?.name ?? null,
      userEmailVerified: Boolean(user?.emailVerifiedAt),
      userTwoFactor: Boolean(user?.twoFactorEnabled),
    };
  }
  async rotateRefreshToken(args: {
    id: string;
    expectedHash: string;
    newHash: string;
    now: Date;
    idleExpiresAt: Date;
  }) {
    this.check();
    const row = this.rows.get(args.id);
    if (!row || row.refreshHash !== args.expectedHash || !this.live(row, args.now)) return false;
    row.previousRefreshHash = row.refreshHash;
    row.refreshHash = args.newHash;
    row.refreshRotatedAt = args.now;
    row.refreshGeneration += 1;
    row.lastActiveAt = args.now;
    row.idleExpiresAt = args.idleExpiresAt;
    return true;
  }
  async listActive(userId: string, now: Date) {
    this.check();
    return [...this.rows.values()]
      .filter((r) => r.userId === userId && this.live(r, now))
      .sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
  }
  async revoke(id: string, command: RevokeCommand) {
    this.check();
    const row = this.rows.get(id);
    if (!row || row.userId !== command.userId || !this.live(row, command.now)) return null;
    this.mark(row, command);
    return { ...row };
  }
  async revokeAllExcept(exceptId: string, command: RevokeCommand) {
    this.check();
    const ids: string[] = [];
    for (const row of this.rows.values()) {
      if (row.userId === command.userId && row.id !== exceptId && this.live(row, command.now)) {
        this.mark(row, command);
        ids.push(row.id);
      }
    }
    return ids;
  }
  async revokeEverywhere(command: RevokeCommand) {
    this.check();
    const user = this.users.rows.get(command.userId)!;
    user.sessionEpoch += 1; // rows are not rewritten: the epoch alone kills them
    return user.sessionEpoch;
  }
  async changePassword(args: ChangePasswordCommand) {
    this.check();
    const user = this.users.rows.get(args.userId);
    if (
      !user ||
      user.disabledAt ||
      user.passwordHash !== args.expectedPasswordHash ||
      user.sessionEpoch !== args.expectedEpoch
    )
      return null;
    const current = this.rows.get(args.currentSessionId);
    if (
      !current ||
      current.userId !== args.userId ||
      current.epoch !== args.expectedEpoch ||
      !this.live(current, args.now)
    )
      return null;
    user.passwordHash = args.newPasswordHash;
    user.sessionEpoch += 1;
    this.users.tokens = this.users.tokens.filter(
      (t) => !(t.userId === user.id && LINKS_VOIDED_BY_PASSWORD.includes(t.purpose)),
    );
    current.epoch = user.sessionEpoch;
    current.authTime = args.now;
    current.previousRefreshHash = null;
    current.refreshHash = args.newRefreshHash;
    current.refreshRotatedAt = args.now;
    current.lastActiveAt = args.now;
    current.idleExpiresAt = args.idleExpiresAt;
    return { epoch: user.sessionEpoch };
  }
  async recentRevocations() {
    return { sessions: [], epochs: [] };
  }
}

export class FakeAccounts implements AccountRepository {
  constructor(
    private readonly users: FakeUsers,
    private readonly sessions: FakeSessions,
  ) {}
  async issueToken(token: AccountTokenRecord) {
    this.users.tokens = this.users.tokens.filter((t) => !(t.userId === token.userId && t.purpose === token.purpose));
    this.users.tokens.push({ ...token });
  }
  private use(tokenHash: string, purposes: AccountTokenPurpose[], now: Date) {
    const token = this.users.tokens.find(
      (t) => t.tokenHash === tokenHash && purposes.includes(t.purpose) && t.expiresAt > now,
    );
    const user = token && this.users.rows.get(token.userId);
    if (!token || !user || user.email !== token.email) return null;
    this.users.tokens = this.users.tokens.filter((t) => t !== token);
    return { token, user };
  }
  async resetPassword(args: { tokenHash: string; newPasswordHash: string; now: Date }) {
    const used = this.use(args.tokenHash, ["password_reset"], args.now);
    if (!used || used.user.disabledAt) return null;
    const { user } = used;
    user.passwordHash = args.newPasswordHash;
    user.sessionEpoch += 1;
    this.users.tokens = this.users.tokens.filter(
      (t) => !(t.userId === user.id && LINKS_VOIDED_BY_PASSWORD.includes(t.purpose)),
    );
    return { user: { ...user }, epoch: user.sessionEpoch };
  }
  async confirmEmail(args: { tokenHash: string; now: Date }): Promise<EmailConfirmation | null> {
    const used = this.use(args.tokenHash, ["email_verification", "email_change"], args.now);
    if (!used) return null;
    const { token, user } = used;
    if (token.purpose === "email_verification") {
      user.emailVerifiedAt = args.now;
      return { kind: "verified", user: { ...user } };
    }
    if (!token.newEmail || (await this.users.findByEmail(token.newEmail))) return { kind: "email_taken", user };
    user.email = token.newEmail;
    user.emailVerifiedAt = args.now;
    this.users.tokens = this.users.tokens.filter((t) => t.userId !== user.id);
    return { kind: "changed", user: { ...user }, previousEmail: token.email };
  }
  async deleteUser(userId: string, now: Date) {
    if (!this.users.rows.has(userId)) return null;
    const live = (await this.sessions.listActive(userId, now)).map((s) => s.id);
    for (const [id, row] of this.sessions.rows) if (row.userId === userId) this.sessions.rows.delete(id);
    this.users.tokens = this.users.tokens.filter((t) => t.userId !== userId);
    this.users.rows.delete(userId);
    return live;
  }
}

/** The auth_challenges table. No await inside a method: each is atomic, like its SQL. */
export class FakeChallenges implements ChallengeRepository {
  readonly rows = new Map<string, ChallengeRecord>();
  async create(challenge: Omit<ChallengeRecord, "attempts">) {
    this.rows.set(challenge.tokenHash, { ...challenge, attempts: 0 });
  }
  async find(tokenHash: string, purpose: ChallengePurpose, now: Date) {
    const row = this.rows.get(tokenHash);
    return row && row.purpose === purpose && row.expiresAt > now ? { ...row } : null;
  }
  async consume(tokenHash: string, purpose: ChallengePurpose, now: Date) {
    const row = this.rows.get(tokenHash);
    if (!row || row.purpose !== purpose || row.expiresAt <= now) return null;
    this.rows.delete(tokenHash);
    return row;
  }
  async countFailure(tokenHash: string, maxAttempts: number) {
    const row = this.rows.get(tokenHash);
    if (!row) return;
    row.attempts += 1;
    if (row.attempts >= maxAttempts) this.rows.delete(tokenHash);
  }
}

export class FakeStore implements RevocationStore {
  readonly kind = "memory" as const;
  readonly revoked = new Set<string>();
  readonly epochs = new Map<string, number>();
  /** "answer": normal; "unsure": returns null (wiped/resyncing); "down": throws. */
  mode: "answer" | "unsure" | "down" = "answer";
  checks = 0;
  async check(sessionId: string, userId: string): Promise<RevocationState | null> {
    this.checks += 1;
    if (this.mode === "down") throw new Error("store unreachable");
    if (this.mode === "unsure") return null;
    return { sessionRevoked: this.revoked.has(sessionId), minEpoch: this.epochs.get(userId) ?? null };
  }
  async revokeSessions(ids: string[]) {
    if (this.mode === "down") throw new Error("store unreachable");
    ids.forEach((id) => this.revoked.add(id));
  }
  async raiseEpoch(userId: string, epoch: number) {
    if (this.mode === "down") throw new Error("store unreachable");
    this.epochs.set(userId, Math.max(epoch, this.epochs.get(userId) ?? 0));
  }
}

export class FakeNotifier implements RevocationNotifier {
  readonly notices: RevocationNotice[] = [];
  async publish(notice: RevocationNotice) {
    this.notices.push(notice);
  }
}

export class FakeEvents implements EventLog {
  readonly events: SessionEventInput[] = [];
  async record(events: SessionEventInput[]) {
    this.events.push(...events);
  }
}

export class FakeKnownDevices implements KnownDeviceRepository {
  readonly keys = new Map<string, Set<string>>();
  down = false;
  async remember(userId: string, deviceKey: string) {
    if (this.down) throw new Error("database unreachable");
    const keys = this.keys.get(userId) ?? new Set<string>();
    this.keys.set(userId, keys);
    if (keys.has(deviceKey)) return { firstSeen: false, hadOtherDevices: false };
    keys.add(deviceKey);
    return { firstSeen: true, hadOtherDevices: keys.size > 1 };
  }
}

export class FakeMailer implements SecurityMailer {
  readonly sent: NewDeviceAlert[] = [];
  /** Account emails (reset, verification, email change, deletion), in the order sent. */
  readonly mails: AccountMail[] = [];
  /** Set to make sending fail, or never finish (a hung SMTP server). */
  mode: "send" | "fail" | "hang" = "send";
  async newDeviceSignIn(alert: NewDeviceAlert) {
    if (this.mode === "fail") throw new Error("smtp unreachable");
    if (this.mode === "hang") return new Promise<void>(() => undefined);
    this.sent.push(alert);
  }
  async send(mail: AccountMail) {
    if (this.mode === "fail") throw new Error("smtp unreachable");
    if (this.mode === "hang") return new Promise<void>(() => undefined);
    this.mails.push(mail);
  }
  /** The last account email of `kind` to `to`. */
  last<K extends AccountMail["kind"]>(kind: K, to?: string): Extract<AccountMail, { kind: K }> | undefined {
    return this.mails.findLast((m): m is Extract<AccountMail, { kind: K }> => m.kind === kind && (!to || m.to === to));
  }
}

/** Fast and obviously fake: argon2 is tested through the real adapter. */
export const fakeHasher: PasswordHasher = {
  async hash(password) {
    return `fake$${password}`;
  },
  async verify(hash, password) {
    return hash === `fake$${password}`;
  },
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Keeps every line, as the JSON logger would write it (level, event, fields). */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  private writer(level: string) {
    return (event: string, fields: Record<string, unknown> = {}) => void this.lines.push({ level, event, fields });
  }
  debug = this.writer("debug");
  info = this.writer("info");
  warn = this.writer("warn");
  error = this.writer("error");
}

export const testConfig: EngineConfig = { ...defaultEngineConfig, issuer: "https://issuer.test", audience: "api.test" };

export async function makeEngine(
  overrides: Partial<EngineConfig> = {},
  rateLimitScale = 1000,
  logger: Logger = silentLogger,
) {
  const config = { ...testConfig, ...overrides };
  const clock = { now: Date.UTC(2026, 0, 1, 12) };
  const keys = await loadKeyRing([await generateSigningKey("ES256")]);
  const users = new FakeUsers();
  const sessions = new FakeSessions(users);
  const accounts = new FakeAccounts(users, sessions);
  const store = new FakeStore();
  const notifier = new FakeNotifier();
  const events = new FakeEvents();
  const knownDevices = new FakeKnownDevices();
  const mailer = new FakeMailer();
  const challenges = new FakeChallenges();
  const twoFactor = new FakeTwoFactor(users);
  const signInMethods = new FakeSignInMethods(users);
  const deps: EngineDeps = {
    config,
    users,
    sessions,
    events,
    store,
    notifier,
    hasher: { ...fakeHasher }, // a copy: a test may wrap it
    accessTokens: new AccessTokens(keys, config),
    refreshTokens: new RefreshTokens("unit-test-secret-unit-test-secret"),
    clock: () => clock.now,
    logger,
    rateLimits: new RateLimitPolicy(new MemoryRateLimiter(() => clock.now), scaleRateLimits(rateLimitScale), logger),
    knownDevices,
    mailer,
    accounts,
    challenges,
    twoFactor,
    signInMethods,
    secrets: createSecretBox(new Uint8Array(32).fill(7)),
  };
  const engine = createSessionEngine(deps);
  const device = {
    ip: "203.0.113.7",
    userAgent:
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  };
  async function userWithDevices(count: number, email = "ada@example.com", password = "correct horse") {
    await engine.register({ email, password, name: "Ada" });
    const pairs = [];
    for (let i = 0; i < count; i++) pairs.push(await engine.signIn({ email, password }, device));
    return pairs;
  }
  return {
    engine,
    deps,
    config,
    keys,
    users,
    sessions,
    store,
    notifier,
    events,
    clock,
    device,
    userWithDevices,
    knownDevices,
    mailer,
    accounts,
    challenges,
    twoFactor,
    signInMethods,
  };
}
