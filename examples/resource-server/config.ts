import { z } from "zod";

/**
 * The resource server's configuration, read and checked once at start (like the app's
 * src/server/env.ts): a bad value stops it with the variable's name. See README.md.
 */
const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined);

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default("127.0.0.1"),
    /** The app: its JWKS and its introspection endpoint live there. */
    AUTH_SERVER_URL: z.url({ error: "must be the app's URL, e.g. http://localhost:3000" }),
    /** The app's JWT_ISSUER (default there: its APP_URL). */
    TOKEN_ISSUER: optional,
    TOKEN_AUDIENCE: z.string().min(1).default("revocable-sessions-api"),
    CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    /** How long fetched signing keys are trusted before they are fetched again (a removed key stops working after this). */
    JWKS_CACHE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    /** Revocation check, way 1: read the app's Redis (same REDIS_URL and REDIS_KEY_PREFIX as the app). */
    REDIS_URL: optional.refine(
      (v) => v === undefined || /^rediss?:\/\//.test(v),
      "must be a redis:// or rediss:// URL",
    ),
    REDIS_KEY_PREFIX: z.string().min(1).default("rjs:"),
    /** Revocation check, way 2 (and the fallback of way 1): the app's introspection endpoint, as this client. */
    INTROSPECTION_CLIENT_ID: optional,
    INTROSPECTION_CLIENT_SECRET: optional,
  })
  .refine((env) => !env.INTROSPECTION_CLIENT_ID === !env.INTROSPECTION_CLIENT_SECRET, {
    path: ["INTROSPECTION_CLIENT_SECRET"],
    message: "set both INTROSPECTION_CLIENT_ID and INTROSPECTION_CLIENT_SECRET, or neither",
  })
  .refine((env) => env.REDIS_URL || env.INTROSPECTION_CLIENT_ID, {
    path: ["REDIS_URL"],
    message: "set REDIS_URL or INTROSPECTION_CLIENT_ID/SECRET: without either, revocation cannot be checked",
  });

export interface Config {
  port: number;
  host: string;
  jwksUrl: URL;
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  jwksCacheSeconds: number;
  redis?: { url: string; keyPrefix: string };
  introspection?: { url: URL; clientId: string; clientSecret: string };
}

export function loadConfig(source: Record<string, string | undefined>): Config {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "env"}: ${issue.message}`);
    throw new Error(`Invalid configuration (see examples/resource-server/README.md):\n${lines.join("\n")}`);
  }
  const env = result.data;
  return {
    port: env.PORT,
    host: env.HOST,
    jwksUrl: new URL("/.well-known/jwks.json", env.AUTH_SERVER_URL),
    issuer: env.TOKEN_ISSUER ?? env.AUTH_SERVER_URL,
    audience: env.TOKEN_AUDIENCE,
    clockToleranceSeconds: env.CLOCK_TOLERANCE_SECONDS,
    jwksCacheSeconds: env.JWKS_CACHE_SECONDS,
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : undefined,
    introspection:
      env.INTROSPECTION_CLIENT_ID && env.INTROSPECTION_CLIENT_SECRET
        ? {
            url: new URL("/api/auth/introspect", env.AUTH_SERVER_URL),
            clientId: env.INTROSPECTION_CLIENT_ID,
            clientSecret: env.INTROSPECTION_CLIENT_SECRET,
          }
        : undefined,
  };
}
