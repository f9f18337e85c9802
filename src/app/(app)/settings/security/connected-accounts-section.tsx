import { formatDateTime } from "@/components/relative-time";
import { Notice } from "@/components/notice";
import type { CurrentSession } from "@/server/auth/current-session";
import type { ConnectError } from "@/server/auth/providers/identity-sign-in";
import { configuredIdentityProviders } from "@/server/auth/providers/oidc";
import { getServices } from "@/server/services";
import { ConnectForm, DisconnectForm } from "./connected-forms";

const CONNECT_ERRORS: Record<ConnectError, string> = {
  taken:
    "That account could not be connected: it is connected to another account here, or yours already has one of this provider (disconnect that one first).",
  reauth: "Connecting took too long. Enter your password and try again.",
  expired: "Connecting took too long or was started in another browser session. Please try again.",
  failed: "Connecting is not possible right now. Please try again in a moment.",
};

/**
 * "Connected accounts": the identity providers this app is configured with, each connected (with
 * its email, when it was connected and last used, and "Disconnect") or not ("Connect <name>").
 */
export async function ConnectedAccountsSection({
  session,
  searchParams,
}: {
  session: CurrentSession;
  /** `connected` / `connect_error`, set by the provider's callback; `disconnected`, by the action. */
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { connected, disconnected, connect_error: connectError } = await searchParams;
  const { env, engine } = await getServices();
  const providers = configuredIdentityProviders(env);
  if (providers.length === 0) return null;
  const identities = await engine.listIdentities(session.claims);
  const justConnected = providers.find((p) => p.id === connected);
  const justDisconnected = providers.find((p) => p.id === disconnected);
  const error =
    typeof connectError === "string" && Object.hasOwn(CONNECT_ERRORS, connectError)
      ? CONNECT_ERRORS[connectError as ConnectError]
      : null;
  return (
    <section
      id="connected-accounts"
      aria-labelledby="connected-accounts-heading"
      className="mt-6 rounded-xl border border-line bg-surface p-6 shadow-sm"
    >
      <h2 id="connected-accounts-heading" className="text-lg font-semibold">
        Connected accounts
      </h2>
      <p className="mt-1 text-sm text-muted">
        Sign in with an account you have elsewhere. Connecting or disconnecting needs your password, or a sign-in in the
        last {Math.round(env.REAUTH_MAX_AGE_SECONDS / 60)} minutes.
      </p>
      {justConnected ? (
        <Notice tone="success" className="mt-4">
          {`${justConnected.name} is connected: you can sign in with it.`}
        </Notice>
      ) : null}
      {justDisconnected ? (
        <Notice tone="success" className="mt-4">
          {`${justDisconnected.name} was disconnected: it no longer signs in to your account.`}
        </Notice>
      ) : null}
      {error ? (
        <Notice tone="error" className="mt-4">
          {error}
        </Notice>
      ) : null}
      <ul className="mt-4 divide-y divide-line" aria-label="Identity providers">
        {providers.map((provider) => {
          const identity = identities.find((i) => i.provider === provider.id);
          return (
            <li key={provider.id} className="py-4 first:pt-0 last:pb-0">
              <p id={`provider-${provider.id}`} className="font-medium text-fg">
                {provider.name}
                <span className="ml-2 text-sm font-normal text-muted">{identity ? "Connected" : "Not connected"}</span>
              </p>
              {identity ? (
                <>
                  <p className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-sm text-muted">
                    {identity.email ? <span className="break-all">{identity.email}</span> : null}
                    <span>
                      Connected <time dateTime={identity.createdAt}>{formatDateTime(identity.createdAt)}</time>
                    </span>
                    <span>
                      Last used{" "}
                      {identity.lastUsedAt ? (
                        <time dateTime={identity.lastUsedAt}>{formatDateTime(identity.lastUsedAt)}</time>
                      ) : (
                        "never"
                      )}
                    </span>
                  </p>
                  <DisconnectForm provider={provider.id} name={provider.name} />
                </>
              ) : (
                <ConnectForm provider={provider.id} name={provider.name} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
