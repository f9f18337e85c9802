import "server-only";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { isAuthError } from "@/core/errors";
import { engineText } from "@/core/messages";
import { engineTextIn } from "@/i18n/engine-text-in";
import type { Services } from "../../build-services";
import { clientContext } from "../../http/client-info";
import { localeOfHeaders } from "../../http/request-language";
import { writeSessionCookies } from "../cookies";
import { clearMfaCookie, mfaCookieName } from "./mfa-cookie";
import { SECOND_FACTOR_RESTART } from "./second-factor-signal";
import { browserSignInError } from "./sign-in-error";

/**
 * The second step of a browser sign-in with two-factor authentication on (Credentials provider
 * "second-factor"): the code (or a recovery code) from the form, the mfa token from the HttpOnly
 * cookie the password step set. A wrong code keeps the cookie (the challenge allows a few tries);
 * success, or a challenge that cannot go on, clears it.
 */
export function secondFactorProvider(services: Services) {
  const { env, engine } = services;
  return CredentialsProvider({
    id: "second-factor",
    name: "Authentication code",
    credentials: {
      code: { label: "Code", type: "text" },
      recoveryCode: { label: "Recovery code", type: "text" },
    },
    async authorize(credentials, req) {
      const jar = await cookies();
      const mfaToken = jar.get(mfaCookieName(env))?.value;
      if (!mfaToken) throw new Error(SECOND_FACTOR_RESTART);
      const code = typedCode(credentials?.code);
      const recoveryCode = typedCode(credentials?.recoveryCode);
      const locale = localeOfHeaders(new Headers(req.headers as Record<string, string>));
      if (!code && !recoveryCode) throw new Error(engineTextIn(locale).text(engineText("form.enterCode")));
      try {
        const context = clientContext(new Headers(req.headers as Record<string, string>), env.TRUST_PROXY_HOPS);
        const pair = await engine.completeSignIn(
          recoveryCode ? { mfaToken, recoveryCode } : { mfaToken, otp: code },
          context,
        );
        clearMfaCookie(jar, env);
        writeSessionCookies(jar, env, pair);
        return { id: pair.sessionId, accessToken: pair.accessToken };
      } catch (error) {
        // invalid_grant without a field: the challenge is gone (expired, used up, the account changed).
        if (isAuthError(error) && error.code === "invalid_grant" && !error.details.fields) {
          clearMfaCookie(jar, env);
          throw new Error(`${SECOND_FACTOR_RESTART}: ${engineTextIn(locale).text(error.message)}`);
        }
        throw browserSignInError(error, services, locale);
      }
    },
  });
}

/** What the form posted as a code: text, trimmed, of a sane length (the engine decides if it is right). */
function typedCode(value: unknown): string {
  return typeof value === "string" ? value.trim().slice(0, 64) : "";
}
