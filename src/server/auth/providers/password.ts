import "server-only";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { parseInput, signInSchema } from "@/core/validation";
import type { Services } from "../../build-services";
import { clientContext } from "../../http/client-info";
import { writeSessionCookies } from "../cookies";
import { browserSignInError } from "./sign-in-error";

/** Email and password (next-auth's Credentials provider "credentials"): the engine's password sign-in. */
export function passwordProvider(services: Services) {
  const { env, engine } = services;
  return CredentialsProvider({
    id: "credentials",
    name: "Email and password",
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, req) {
      try {
        const input = parseInput(signInSchema, { email: credentials?.email, password: credentials?.password });
        const pair = await engine.signIn(
          input,
          clientContext(new Headers(req.headers as Record<string, string>), env.TRUST_PROXY_HOPS),
        );
        // The refresh cookie is ours; next-auth writes the session cookie from the token below.
        writeSessionCookies(await cookies(), env, pair);
        return { id: pair.sessionId, accessToken: pair.accessToken };
      } catch (error) {
        throw browserSignInError(error, services);
      }
    },
  });
}
