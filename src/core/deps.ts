import type { AccessTokens } from "./access-tokens";
import type { EngineConfig } from "./config";
import type {
  AccountRepository,
  ChallengeRepository,
  Clock,
  EventLog,
  KnownDeviceRepository,
  Logger,
  PasswordHasher,
  RevocationNotifier,
  RevocationStore,
  SecretBox,
  SecurityMailer,
  SessionRepository,
  SignInMethodRepository,
  TwoFactorRepository,
  UserRepository,
} from "./ports";
import type { RateLimitPolicy } from "./rate-limits";
import type { RefreshTokens } from "./refresh-tokens";

/** Everything the engine is built from; assembled by src/server/build-services.ts (or by tests with fakes). */
export interface EngineDeps {
  config: EngineConfig;
  users: UserRepository;
  sessions: SessionRepository;
  events: EventLog;
  store: RevocationStore;
  notifier: RevocationNotifier;
  hasher: PasswordHasher;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  clock: Clock;
  logger: Logger;
  rateLimits: RateLimitPolicy;
  /** New-device detection and its email (src/core/new-device.ts). */
  knownDevices: KnownDeviceRepository;
  mailer: SecurityMailer;
  /** One-time link tokens and the account changes they make; account deletion. */
  accounts: AccountRepository;
  /** Short-lived, single-use challenges: the second step of a sign-in, WebAuthn ceremonies. */
  challenges: ChallengeRepository;
  /** TOTP secrets and recovery codes. */
  twoFactor: TwoFactorRepository;
  /** Passkeys and identities linked at identity providers. */
  signInMethods: SignInMethodRepository;
  /** Seals the secrets kept at rest (TOTP). */
  secrets: SecretBox;
}
