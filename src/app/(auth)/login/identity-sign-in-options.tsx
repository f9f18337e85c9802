import { getTranslations } from "next-intl/server";
import { Notice } from "@/components/notice";
import { configuredIdentityProviders } from "@/server/auth/providers/oidc";
import type { IdentitySignInError } from "@/server/auth/providers/identity-sign-in";
import { getServices } from "@/server/services";
import { ContinueWithButton } from "./continue-with-button";

/** Why an identity sign-in ended back here: our codes; any other (next-auth's own, a failed OAuth callback) is providerFailed. */
const ERRORS = {
  identity_not_linked: "identity.notLinked",
  identity_no_email: "identity.noEmail",
  account_disabled: "accountDisabled",
  identity_failed: "identity.failed",
} as const satisfies Record<IdentitySignInError, string>;

function errorKey(value: string | string[] | undefined) {
  if (typeof value !== "string" || value === "") return null;
  return Object.hasOwn(ERRORS, value) ? ERRORS[value as IdentitySignInError] : "identity.providerFailed";
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
  const [{ env }, t] = await Promise.all([getServices(), getTranslations("auth")]);
  const providers = configuredIdentityProviders(env);
  const message = errorKey(error);
  return (
    <>
      {message ? (
        <Notice tone="error" className="mt-4">
          {t(message)}
        </Notice>
      ) : null}
      {providers.length > 0 ? (
        <div className="mt-6">
          <p className="flex items-center gap-3 text-xs text-muted before:h-px before:flex-1 before:bg-subtle-strong after:h-px after:flex-1 after:bg-subtle-strong">
            {t("identity.or")}
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
