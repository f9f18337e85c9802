"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AuthError } from "@/core/errors";
import { parseInput } from "@/core/validation";
import { actionClientContext, formFields, toActionFailure } from "@/server/auth/action-result";
import { cookieOptions } from "@/server/auth/cookies";
import { requireSession } from "@/server/auth/current-session";
import { encodeLinkIntent, LINK_INTENT_TTL_SECONDS, linkIntentCookieName } from "@/server/auth/link-intent";
import { configuredIdentityProviders } from "@/server/auth/providers/oidc";
import { getServices } from "@/server/services";
import { connectedForm } from "@/server/http/identity-schemas";

export type ConnectState =
  | { status: "idle" }
  | { status: "error"; message: string; fields: { password?: string[] } }
  /** The browser may leave for the provider now (the intent cookie is set). */
  | { status: "ready"; provider: string };

export type DisconnectState =
  { status: "idle" } | { status: "error"; message: string; fields: { password?: string[] } };

/** The provider of the form, when it is one this app is configured with. */
async function configuredProvider(id: string) {
  const { env } = await getServices();
  const provider = configuredIdentityProviders(env).find((p) => p.id === id);
  if (!provider) throw new AuthError("invalid_request", (await getTranslations("security.connected"))("unavailable"));
  return provider;
}

/**
 * "Connect <provider>": the re-authentication rule (the password, or a recent sign-in), then the
 * short-lived link intent bound to this browser's session; the form then starts next-auth's sign-in
 * with the provider, whose callback connects the identity instead of signing in.
 */
export async function connectIdentityAction(_prev: unknown, formData: unknown): Promise<ConnectState> {
  const session = await requireSession("/settings/security");
  try {
    const input = parseInput(connectedForm, formFields(formData, ["provider", "password"]));
    const provider = await configuredProvider(input.provider);
    const { engine, env, authSecret } = await getServices();
    const reauthenticatedAtMs = await engine.authorizeLink(session.claims, input.password, await actionClientContext());
    const value = encodeLinkIntent(
      {
        sessionId: session.claims.sid,
        provider: provider.id,
        reauthenticatedAtMs,
        expiresAtMs: Date.now() + LINK_INTENT_TTL_SECONDS * 1000,
      },
      authSecret,
    );
    (await cookies()).set(linkIntentCookieName(env), value, { ...cookieOptions(env), maxAge: LINK_INTENT_TTL_SECONDS });
    return { status: "ready", provider: provider.id };
  } catch (error) {
    const failure = await toActionFailure(error);
    return { status: "error", message: failure.message, fields: failure.fields };
  }
}

/**
 * "Disconnect": the re-authentication rule, and never the account's last way in. Done, the page is
 * shown again with a notice (the provider's row now offers "Connect").
 */
export async function disconnectIdentityAction(_prev: unknown, formData: unknown): Promise<DisconnectState> {
  const session = await requireSession("/settings/security");
  let provider: string;
  try {
    const input = parseInput(connectedForm, formFields(formData, ["provider", "password"]));
    const { engine, env } = await getServices();
    const name = configuredIdentityProviders(env).find((p) => p.id === input.provider)?.name ?? input.provider;
    await engine.unlinkIdentity(
      session.claims,
      { provider: input.provider, providerName: name, password: input.password },
      await actionClientContext(),
    );
    provider = input.provider;
  } catch (error) {
    const failure = await toActionFailure(error);
    return { status: "error", message: failure.message, fields: failure.fields };
  }
  redirect(`/settings/security?disconnected=${encodeURIComponent(provider)}#connected-accounts`);
}
