import "server-only";
import type { NextAuthOptions } from "next-auth";
import { cookies } from "next/headers";
import { deriveKey } from "@/core/crypto";
import { errorMessage } from "@/core/errors";
import type { Services } from "../build-services";
import { checkBrowserToken } from "./browser-session";
import { clearSessionCookies, cookieNames, cookieOptions } from "./cookies";
import { identitySignIn } from "./providers/identity-sign-in";
import { identityProviders } from "./providers/oidc";
import { passkeyProvider } from "./providers/passkey";
import { passwordProvider } from "./providers/password";
import { secondFactorProvider } from "./providers/second-factor";

/**
 * next-auth runs the browser sign-in (its providers, JWT strategy), bound to a device session
 * of the engine: its session cookie carries that session's access JWT (our own ES256 format, not
 * next-auth's encrypted one), so the cookie is refused the moment the session is revoked or the
 * epoch moves, and it verifies against /.well-known/jwks.json. See docs/decisions/0006.
 */
export function authOptions(services: Services): NextAuthOptions {
  const { env, engine, logger } = services;
  const names = cookieNames(env);

  return {
    secret: Buffer.from(deriveKey(services.authSecret, "next-auth")).toString("base64url"),
    session: { strategy: "jwt", maxAge: env.SESSION_IDLE_TTL_SECONDS },
    useSecureCookies: names.secure,
    cookies: { sessionToken: { name: names.session, options: cookieOptions(env) } },
    jwt: {
      // The cookie value *is* the engine's access token; decode verifies it like any Bearer token.
      encode: async ({ token }) => (typeof token?.accessToken === "string" ? token.accessToken : ""),
      decode: async ({ token }) => {
        if (!token) return null;
        // Any failure is "no session" to next-auth (a throw would be logged and end the same way).
        const check = await checkBrowserToken(engine, token).catch(() => null);
        if (check?.kind !== "active") return null;
        return { sub: check.claims.sub, sid: check.claims.sid, accessToken: token };
      },
    },
    // Each way in is a provider of its own (src/server/auth/providers); every one ends in an engine
    // device session whose access token becomes the session cookie.
    providers: [
      passwordProvider(services),
      secondFactorProvider(services),
      passkeyProvider(services),
      ...identityProviders(env),
    ],
    callbacks: {
      signIn: identitySignIn(services),
      jwt: ({ token, user }) => (user && "accessToken" in user ? { accessToken: user.accessToken } : token),
      session: ({ session }) => session,
    },
    events: {
      /**
       * next-auth's own /api/auth/signout (after its CSRF check) also ends the device session and
       * clears both cookies. The token next-auth decoded is null once the JWT has run out, so the
       * cookies themselves name the session, each checked like an RFC 7009 revocation: the access JWT
       * by its signature (expired or not), the refresh token by its hash. A forged or superseded one
       * signs nobody out.
       */
      signOut: async () => {
        const jar = await cookies();
        for (const name of [names.session, names.refresh]) {
          const value = jar.get(name)?.value;
          if (!value) continue;
          await engine
            .revokeToken(value)
            .catch((error: unknown) => logger.warn("browser_sign_out_failed", { error: errorMessage(error) }));
        }
        clearSessionCookies(jar, env);
      },
    },
    pages: { signIn: "/login", error: "/login" },
    logger: {
      error: (code) => logger.error("next_auth_error", { code }),
      warn: (code) => logger.warn("next_auth_warning", { code }),
      debug: () => undefined,
    },
  };
}
