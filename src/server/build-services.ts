import path from "node:path";
import { AccessTokens } from "@/core/access-tokens";
import { createActivityFeed, type ActivityFeed } from "@/core/activity";
import { createAdminOperations, type AdminOperations } from "@/core/admin";
import { runCleanup, type CleanupOptions, type CleanupReport } from "@/core/cleanup";
import { revocationTtlSeconds, type EngineConfig } from "@/core/config";
import { createSecretBox, deriveKey } from "@/core/crypto";
import type { EngineDeps } from "@/core/deps";
import { createIntrospection, type Introspection } from "@/core/introspection";
import type { Logger, RateLimiter, RevocationStore } from "@/core/ports";
import { RateLimitPolicy, scaleRateLimits } from "@/core/rate-limits";
import { RefreshTokens } from "@/core/refresh-tokens";
import { createSessionEngine, type SessionEngine } from "@/core/session-engine";
import type { KeyRing } from "@/core/signing-keys";
import { VerifiedTokenCache } from "@/core/verified-token-cache";
import { openDatabase, type Database, type DatabaseConfig } from "./db/prisma";
import type { Env } from "./env";
import { createLogger } from "./logger";
import { createSecurityMailer } from "./mail/security-mailer";
import { mailOutbox, type MailOutbox } from "./mail/outbox";
import { createMailTransport } from "./mail/transport";
import { argon2Hasher } from "./password-hasher";
import { PrismaAccountRepository } from "./repositories/prisma-accounts";
import { PrismaActivityLog } from "./repositories/prisma-activity";
import { PrismaChallengeRepository } from "./repositories/prisma-challenges";
import { PrismaCleanupRepository } from "./repositories/prisma-cleanup";
import { PrismaEventLog } from "./repositories/prisma-events";
import { PrismaKnownDeviceRepository } from "./repositories/prisma-known-devices";
import { PrismaSessionRepository } from "./repositories/prisma-sessions";
import { createSignInMethodRepository } from "./repositories/prisma-sign-in-methods";
import { PrismaTwoFactorRepository } from "./repositories/prisma-two-factor";
import { PrismaUserRepository } from "./repositories/prisma-users";
import type { Locale } from "@/i18n/locales";
import type { RevocationFeed } from "./revocation/feed";
import { MemoryRevocationNotifier } from "./revocation/memory-notifier";
import { MemoryRevocationStore } from "./revocation/memory-store";
import { createRedisClient, redisTopology } from "./revocation/redis-client";
import { RedisRevocationNotifier } from "./revocation/redis-notifier";
import { RedisRevocationStore } from "./revocation/redis-store";
import { MemoryRateLimiter } from "./rate-limit/memory-rate-limiter";
import { RedisRateLimiter } from "./rate-limit/redis-rate-limiter";
import { loadSecrets } from "./secrets";

/** What the app may know of its database: which one, and whether it answers. Never the client. */
export interface DatabaseStatus {
  readonly kind: Database["kind"];
  /** One round trip (SELECT 1); throws when the database is unreachable. */
  ping(): Promise<void>;
}

/**
 * Everything a page, route, server action or the proxy needs (getServices() in services.ts), built
 * once per process. Only named capabilities: no raw database client, no admin verbs, no close().
 */
export interface Services {
  env: Env;
  config: EngineConfig;
  engine: SessionEngine;
  /** RFC 7662 token introspection for the services in INTROSPECTION_CLIENTS. */
  introspection: Introspection;
  /** The security activity page and API (src/core/activity.ts). */
  activity: ActivityFeed;
  /** The mail kept when no SMTP server is set (the /dev/outbox page). */
  outbox: MailOutbox;
  /** The language a signed-in person chose (the header's switcher): their mail follows it. */
  languages: { remember(userId: string, locale: Locale): Promise<void> };
  /** /api/health and the boot log line. */
  database: DatabaseStatus;
  store: RevocationStore;
  feed: RevocationFeed;
  keyRing: KeyRing;
  authSecret: string;
  logger: Logger;
}

/**
 * What buildServices() hands to whoever built them and will close them: the process-wide holder
 * (which passes on only `Services`), the command-line tools, the seed and the benchmark.
 */
export interface OwnedServices extends Services {
  /** The verbs of `npm run admin` (same stores and fan-out as the engine). */
  admin: AdminOperations;
  /** `npm run db:cleanup`, with the retention of the environment. */
  cleanup(options: CleanupOptions): Promise<CleanupReport>;
  /** The raw database, for tools that seed or measure it directly. */
  database: Database & DatabaseStatus;
  close(): Promise<void>;
}

export function databaseConfig(env: Env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: "postgresql", url: env.DATABASE_URL };
  const dir = env.PGLITE_DATA_DIR ?? path.join(env.DATA_DIR, "pglite");
  return { kind: "pglite", dataDir: dir === "memory://" ? dir : path.resolve(/*turbopackIgnore: true*/ dir) };
}

export function engineConfig(env: Env): EngineConfig {
  return {
    issuer: env.JWT_ISSUER ?? env.APP_URL,
    audience: env.JWT_AUDIENCE,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: env.CLOCK_TOLERANCE_SECONDS,
    refreshGraceSeconds: env.REFRESH_GRACE_SECONDS,
    sessionIdleTtlSeconds: env.SESSION_IDLE_TTL_SECONDS,
    sessionAbsoluteTtlSeconds: env.SESSION_ABSOLUTE_TTL_SECONDS,
    maxSessionsPerUser: env.MAX_SESSIONS_PER_USER,
    reauthMaxAgeSeconds: env.REAUTH_MAX_AGE_SECONDS,
    passwordResetTtlSeconds: env.PASSWORD_RESET_TTL_SECONDS,
    emailVerificationTtlSeconds: env.EMAIL_VERIFICATION_TTL_SECONDS,
    appName: env.APP_NAME,
    appOrigin: new URL(env.APP_URL).origin,
  };
}

/**
 * The composition root: the only place that knows which adapter implements which port.
 * `options.logger` replaces the default one (command-line tools log to stderr).
 */
export async function buildServices(env: Env, options: { logger?: Logger } = {}): Promise<OwnedServices> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const config = engineConfig(env);
  const { authSecret, keyRing } = await loadSecrets(env);
  const opened = await openDatabase(databaseConfig(env));
  const database: OwnedServices["database"] = {
    ...opened,
    async ping() {
      await opened.prisma.$queryRaw`SELECT 1`;
    },
  };
  const users = new PrismaUserRepository(database.prisma);
  const sessions = new PrismaSessionRepository(database.prisma);

  let store: RevocationStore;
  let feed: RevocationFeed;
  let limiter: RateLimiter = new MemoryRateLimiter();
  const closers: (() => Promise<unknown>)[] = [];
  const redisTarget = redisTopology(env);
  if (redisTarget) {
    const redis = createRedisClient(redisTarget, { connectionName: "revocation-store" });
    store = new RedisRevocationStore({
      redis,
      keyPrefix: env.REDIS_KEY_PREFIX,
      ttlSeconds: revocationTtlSeconds(config),
      loadSnapshot: (since) => sessions.recentRevocations(since),
      logger,
    });
    feed = new RedisRevocationNotifier({ redis, keyPrefix: env.REDIS_KEY_PREFIX, logger });
    limiter = new RedisRateLimiter(redis, `${env.REDIS_KEY_PREFIX}rl:`, limiter);
    closers.push(
      () => feed.close(),
      () => redis.quit().catch(() => redis.disconnect()),
    );
  } else {
    // Warmed from the database: revocations made before a restart stay enforced after it.
    store = new MemoryRevocationStore(Date.now, {
      seed: {
        loadSnapshot: (since) => sessions.recentRevocations(since),
        ttlSeconds: revocationTtlSeconds(config),
        logger,
      },
    });
    feed = new MemoryRevocationNotifier(logger);
    closers.push(() => feed.close());
  }

  const rateLimits = new RateLimitPolicy(limiter, scaleRateLimits(env.RATE_LIMIT_SCALE), logger);
  const mailTransport = createMailTransport(env, database.prisma, logger);
  closers.push(() => mailTransport.close());

  const deps: EngineDeps = {
    config,
    users,
    sessions,
    events: new PrismaEventLog(database.prisma),
    store,
    notifier: feed,
    hasher: argon2Hasher,
    accessTokens: new AccessTokens(keyRing, config, new VerifiedTokenCache(env.VERIFIED_TOKEN_CACHE_SIZE)),
    refreshTokens: new RefreshTokens(authSecret),
    clock: Date.now,
    logger,
    rateLimits,
    knownDevices: new PrismaKnownDeviceRepository(database.prisma),
    mailer: createSecurityMailer(mailTransport, env.APP_URL),
    accounts: new PrismaAccountRepository(database.prisma),
    challenges: new PrismaChallengeRepository(database.prisma),
    twoFactor: new PrismaTwoFactorRepository(database.prisma),
    signInMethods: createSignInMethodRepository(database.prisma),
    secrets: createSecretBox(deriveKey(authSecret, "totp-secrets")),
  };
  const engine = createSessionEngine(deps);
  const introspection = createIntrospection({
    clients: env.INTROSPECTION_CLIENTS,
    authenticate: engine.authenticate,
    rateLimits,
    logger,
  });
  const cleanupRepository = new PrismaCleanupRepository(database.prisma);
  const retention = {
    sessionRetentionSeconds: env.SESSION_RETENTION_DAYS * 86_400,
    eventRetentionSeconds: env.EVENT_RETENTION_DAYS * 86_400,
  };

  return {
    env,
    config,
    engine,
    introspection,
    activity: createActivityFeed(new PrismaActivityLog(database.prisma)),
    outbox: mailOutbox(database.prisma),
    languages: { remember: (userId, locale) => users.setLocale(userId, locale) },
    admin: createAdminOperations(deps),
    cleanup: (cleanupOptions) =>
      runCleanup({ repository: cleanupRepository, config, clock: Date.now }, retention, cleanupOptions),
    database,
    store,
    feed,
    keyRing,
    authSecret,
    logger,
    async close() {
      for (const close of closers) await close().catch(() => undefined);
      await database.close();
    },
  };
}
