import "server-only";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { AuthError } from "@/core/errors";
import { engineText } from "@/core/messages";
import type { Services } from "../../build-services";
import { clientContext } from "../../http/client-info";
import { localeOfHeaders } from "../../http/request-language";
import { writeSessionCookies } from "../cookies";
import { browserSignInError } from "./sign-in-error";

/** The assertion as the browser posts it: JSON text of a few kilobytes at most. */
const MAX_RESPONSE_CHARS = 16 * 1024;

function parseResponse(text: string | undefined): unknown {
  if (!text || text.length > MAX_RESPONSE_CHARS)
    throw new AuthError("invalid_request", engineText("form.passkeyAnswerMissing"));
  try {
    return JSON.parse(text);
  } catch {
    throw new AuthError("invalid_request", engineText("form.passkeyAnswerUnreadable"));
  }
}

/**
 * A passkey (next-auth's Credentials provider "passkey"): `response` is the JSON of the browser's
 * `navigator.credentials.get` answer to options from POST /api/auth/passkey/options. Ends in an
 * engine device session bound to the cookies, like the password provider.
 */
export function passkeyProvider(services: Services) {
  const { env, engine } = services;
  return CredentialsProvider({
    id: "passkey",
    name: "Passkey",
    credentials: { response: { label: "Passkey response", type: "text" } },
    async authorize(credentials, req) {
      try {
        const pair = await engine.signInWithPasskey(
          { response: parseResponse(credentials?.response) as AuthenticationResponseJSON },
          clientContext(new Headers(req.headers as Record<string, string>), env.TRUST_PROXY_HOPS),
        );
        writeSessionCookies(await cookies(), env, pair);
        return { id: pair.sessionId, accessToken: pair.accessToken };
      } catch (error) {
        throw browserSignInError(error, services, localeOfHeaders(new Headers(req.headers as Record<string, string>)));
      }
    },
  });
}
