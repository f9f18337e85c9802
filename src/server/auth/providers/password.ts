import "server-only";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { isAuthError } from "@/core/errors";
import { parseInput, signInSchema } from "@/core/validation";
import type { Services } from "../../build-services";
import { clientContext } from "../../http/client-info";
import { localeOfHeaders } from "../../http/request-language";
import { writeSessionCookies } from "../cookies";
import { clearMfaCookie, writeMfaCookie } from "./mfa-cookie";
import { SECOND_FACTOR_REQUIRED } from "./second-factor-signal";
import { browserSignInError } from "./sign-in-error";

/** Email and password (next-auth's Credentials provider "credentials"): the engine's password sign-in. */
export function passwordProvider(services: Services) {
  const { env, engine } = services;
  return CredentialsProvider({
    id: "credentials",
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, req) {
      const jar = await cookies();
      try {
        const input = parseInput(signInSchema, { email: credentials?.email, password: credentials?.password });
        const pair = await engine.signIn(
          input,
          clientContext(new Headers(req.headers as Record<string, string>), env.TRUST_PROXY_HOPS),
        );
        clearMfaCookie(jar, env); // a second step left half-way on this browser is over
        // The refresh cookie is ours; next-auth writes the session cookie from the token below.
        writeSessionCookies(jar, env, pair);
        return { id: pair.sessionId, accessToken: pair.accessToken };
      } catch (error) {
        // Two-factor sign-in: the mfa token goes into an HttpOnly cookie, never to the page's script;
        // the form is only told to ask for the code ("second-factor" provider).
        if (isAuthError(error) && error.code === "mfa_required" && error.details.mfaToken) {
          writeMfaCookie(jar, env, error.details.mfaToken);
          throw new Error(SECOND_FACTOR_REQUIRED);
        }
        throw browserSignInError(error, services, localeOfHeaders(new Headers(req.headers as Record<string, string>)));
      }
    },
  });
}
