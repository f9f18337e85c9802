import { z } from "zod";
import { checkIdentityEnv, identityEnvFields } from "./env-identity";
import { checkRedisEnv, redisEnvFields, withRedisDefaults } from "./env-redis";

/**
 * The only reader of process.env. Parsed once (at boot, from instrumentation.ts, and by scripts);
 * a bad value stops the process with a message naming the variable, never a stack trace later.
 */
const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.test(v), hint);

/**
 * INTROSPECTION_CLIENTS: "id:secret,id:secret", the services allowed to call /api/auth/introspect.
 * Ids are plain (no ":" so a pair splits one way); secrets are long and never echoed in a message.
 */
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,64}$/;
const CLIENT_SECRET = /^[\x21-\x7e]{16,256}$/;
const introspectionClients = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const clients: { id: string; secret: string }[] = [];
    const entries = (raw ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    entries.forEach((entry, index) => {
      const colon = entry.indexOf(":");
      const id = entry.slice(0, Math.max(colon, 0));
      const secret = entry.slice(colon + 1);
      const where = `entry ${index + 1}`;
      if (colon < 0)
        ctx.addIssue({ code: "custom", message: `${where}: expected id:secret (format id:secret,id:secret)` });
      else if (!CLIENT_ID.test(id))
        ctx.addIssue({ code: "custom", message: `${where}: the client id must be 1-64 letters, digits or . _ ~ -` });
      else if (!CLIENT_SECRET.test(secret))
        ctx.addIssue({
          code: "custom",
          message: `${where} ("${id}"): the secret must be 16-256 visible characters without spaces or commas (openssl rand -hex 24)`,
        });
      else if (clients.some((client) => client.id === id))
        ctx.addIssue({ code: "custom", message: `the client id "${id}" appears twice` });
      else clients.push({ id, secret });
    });
    return clients;
  });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** Unset: see withAppUrlDefault. */
    APP_URL: z.url().optional(),
    /** Shown by authenticator apps next to the TOTP codes, and by browsers when a passkey is made. */
    APP_NAME: z.string().trim().min(1).max(64).default("Revocable Sessions"),
    /** Set by Next to the port it listens on; only read for APP_URL's development default. */
    PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    DATABASE_URL: optionalUrl(
      /^postgres(ql)?:\/\//,
      "must be a postgres:// or postgresql:// URL (unset = embedded PGlite)",
    ),
    DATA_DIR: z.string().min(1).default(".data"),
    PGLITE_DATA_DIR: z.string().min(1).optional(),
    REDIS_URL: optionalUrl(
      /^rediss?:\/\//,
      "must be a redis:// or rediss:// URL (unset = in-process store, single instance only)",
    ),
    // Default "rjs:", or "{rjs}:" with REDIS_CLUSTER_NODES (see env-redis.ts).
    REDIS_KEY_PREFIX: z.string().min(1).max(32).optional(),
    ...redisEnvFields,
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
    JWT_SIGNING_KEYS: z.string().min(2).optional(),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).default("revocable-sessions-api"),
    ACCESS_TOKEN_TTL_SECONDS: seconds(300, 30, 3600),
    CLOCK_TOLERANCE_SECONDS: seconds(5, 0, 60),
    REFRESH_GRACE_SECONDS: seconds(10, 0, 120),
    SESSION_IDLE_TTL_SECONDS: seconds(14 * 86400, 300, 365 * 86400),
    SESSION_ABSOLUTE_TTL_SECONDS: seconds(90 * 86400, 600, 3 * 365 * 86400),
    /** Email and account deletion need the password, or a sign-in at most this old (RFC 9470 max_age). */
    REAUTH_MAX_AGE_SECONDS: seconds(600, 30, 86400),
    /** How long a password reset link works. */
    PASSWORD_RESET_TTL_SECONDS: seconds(1800, 60, 86400),
    /** How long an email verification or email change link works. */
    EMAIL_VERIFICATION_TTL_SECONDS: seconds(86400, 300, 7 * 86400),
    /** How many reverse proxies in front of the app append to X-Forwarded-For (0 = none, use the peer). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Verified access tokens remembered per process (never their revocation); 0 disables. */
    VERIFIED_TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
    /** Multiplies every rate limit (see src/core/rate-limits.ts); tests and load runs raise it. */
    RATE_LIMIT_SCALE: z.coerce.number().positive().max(1_000_000).default(1),
    /** Enables /api/bench/stateless and /api/bench/constant, the baselines of `npm run bench`. Never in production. */
    BENCHMARK_ROUTES: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Services that may introspect tokens (RFC 7662); unset or empty = none (every call is 401). */
    INTROSPECTION_CLIENTS: introspectionClients,
    /** Security emails (new-device sign-ins) over SMTP; unset = written to the mail_outbox table. */
    SMTP_URL: optionalUrl(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL (unset = mail goes to the outbox table)"),
    MAIL_FROM: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine(
        (v) => v === undefined || (v.length <= 254 && /^[^\r\n]*@[^\r\n]*$/.test(v)),
        "must be an address such as Security <no-reply@example.com>",
      ),
    /** Serves /dev/outbox in production too (it is always on in development). */
    MAIL_OUTBOX_VIEWER: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    /** Live sessions per user; a sign-in beyond it signs the oldest (by creation) out. 0 = unlimited. */
    MAX_SESSIONS_PER_USER: z.coerce.number().int().min(0).max(10_000).default(0),
    /** npm run db:cleanup: days an ended session's row is kept. */
    SESSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** npm run db:cleanup: days audit events (session_events) are kept; 0 keeps them forever. */
    EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
    /** Identity providers (OpenID Connect, GitHub): see env-identity.ts. */
    ...identityEnvFields,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (!env.AUTH_SECRET) ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    if (!env.JWT_SIGNING_KEYS)
      ctx.addIssue({
        code: "custom",
        path: ["JWT_SIGNING_KEYS"],
        message: "is required in production (npm run keys:generate)",
      });
  })
  .refine((env) => env.SESSION_ABSOLUTE_TTL_SECONDS >= env.SESSION_IDLE_TTL_SECONDS, {
    path: ["SESSION_ABSOLUTE_TTL_SECONDS"],
    message: "must not be shorter than SESSION_IDLE_TTL_SECONDS",
  })
  .refine((env) => !env.SMTP_URL || env.MAIL_FROM, { path: ["MAIL_FROM"], message: "is required when SMTP_URL is set" })
  .superRefine(checkRedisEnv)
  .superRefine(checkIdentityEnv)
  .transform(withRedisDefaults)
  .transform(withAppUrlDefault);

/**
 * APP_URL when it is not set: in development, localhost on the port `next dev` listens on (Next sets
 * PORT, also when it moved off a taken 3000 by itself), so `npm run dev -- -p 3001` needs no
 * configuration; anywhere else http://localhost:3000. See docs/decisions/0011.
 */
function withAppUrlDefault<T extends { NODE_ENV: string; APP_URL?: string; PORT?: number }>(
  env: T,
): T & { APP_URL: string } {
  const port = env.NODE_ENV === "development" ? (env.PORT ?? 3000) : 3000;
  return { ...env, APP_URL: env.APP_URL ?? `http://localhost:${port}` };
}

export type Env = z.output<typeof schema>;

export class EnvError extends Error {
  override readonly name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // NEXTAUTH_SECRET / NEXTAUTH_URL are accepted as aliases: next-auth users already have them.
  const input = {
    ...source,
    AUTH_SECRET: source.AUTH_SECRET ?? source.NEXTAUTH_SECRET,
    APP_URL: source.APP_URL ?? source.NEXTAUTH_URL,
  };
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "env"}: ${issue.message}`);
  throw new EnvError(`Invalid configuration (see .env.example):\n${lines.join("\n")}`);
}

let cached: Env | undefined;

export function getEnv(): Env {
  if (!cached) {
    cached = parseEnv(process.env);
    // next-auth reads its base URL from process.env itself: give it the validated APP_URL.
    process.env.NEXTAUTH_URL ??= cached.APP_URL;
  }
  return cached;
}
