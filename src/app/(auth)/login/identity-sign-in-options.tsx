import { Notice } from "@/components/notice";
import { configuredIdentityProviders } from "@/server/auth/providers/oidc";
import type { IdentitySignInError } from "@/server/auth/providers/identity-sign-in";
import { getServices } from "@/server/services";
import { ContinueWithButton } from "./continue-with-button";

/** Why an identity sign-in ended back here: our codes, and next-auth's own (a failed OAuth callback). */
const ERRORS: Record<IdentitySignInError, string> & Record<string, string> = {
  identity_not_linked:
    "An account with this email already exists, and this sign-in is not connected to it. Sign in with your password (or passkey), then connect it under Security settings → Connected accounts.",
  identity_no_email:
    "The provider did not tell us your email address, so no account can be made with it. Allow access to your email address there, or create an account with a password.",
  account_disabled: "This account has been disabled by an administrator.",
  identity_failed: "Signing in with that provider is not possible right now. Please try again in a moment.",
};
const PROVIDER_FAILED =
  "The sign-in with the provider could not be completed (it was cancelled, expired or did not match this browser). Please try again.";

function errorNotice(value: string | string[] | undefined): string | null {
  if (typeof value !== "string" || value === "") return null;
  return Object.hasOwn(ERRORS, value) ? ERRORS[value]! : PROVIDER_FAILED;
}

/**
 * The sign-in page's "Continue with <provider>" buttons (only for the providers configured), and
 * the message of an identity sign-in that came back refused.
 */
export async function IdentitySignInOptions({
  callbackUrl,
  error,
}: {
  callbackUrl: string;
  error: string | string[] | undefined;
}) {
  const { env } = await getServices();
  const providers = configuredIdentityProviders(env);
  const message = errorNotice(error);
  return (
    <>
      {message ? (
        <Notice tone="error" className="mt-4">
          {message}
        </Notice>
      ) : null}
      {providers.length > 0 ? (
        <div className="mt-6">
          <p className="flex items-center gap-3 text-xs text-muted before:h-px before:flex-1 before:bg-subtle-strong after:h-px after:flex-1 after:bg-subtle-strong">
            or
          </p>
          <ul className="mt-3 space-y-2">
            {providers.map((provider) => (
              <li key={provider.id}>
                <ContinueWithButton provider={provider.id} name={provider.name} callbackUrl={callbackUrl} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
