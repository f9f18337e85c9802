import type { Provider } from "next-auth/providers/index";
import type { OAuthConfig } from "next-auth/providers/oauth";
import GitHubProvider, { type GithubProfile } from "next-auth/providers/github";
import type { ExternalIdentity } from "@/core/identities";
import type { Env } from "../../env";

/** An identity provider this app is configured with: its next-auth id and the name people see. */
export interface IdentityProviderInfo {
  id: string;
  name: string;
}

/** The claims of an OpenID Connect id_token this app reads. */
interface OidcClaims {
  sub: string;
  email?: string | null;
  email_verified?: boolean | string;
  name?: string | null;
  preferred_username?: string | null;
}

/** The providers configured in the environment, in the order the sign-in page shows them. */
export function configuredIdentityProviders(env: Env): IdentityProviderInfo[] {
  const list: IdentityProviderInfo[] = [];
  if (env.OIDC_ISSUER && env.OIDC_DISPLAY_NAME) list.push({ id: "oidc", name: env.OIDC_DISPLAY_NAME });
  if (env.GITHUB_ID) list.push({ id: "github", name: "GitHub" });
  return list;
}

/** A provider's name for people, or its id when it is no longer configured. */
export function identityProviderName(env: Env, id: string): string {
  return configuredIdentityProviders(env).find((provider) => provider.id === id)?.name ?? id;
}

/**
 * One generic OpenID Connect provider (OIDC_*): discovery, authorization code with PKCE, state and
 * nonce all checked by next-auth (openid-client), the id_token's signature, issuer, audience and
 * nonce verified against the provider's keys.
 */
function oidcProvider(env: Env): OAuthConfig<OidcClaims> | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET || !env.OIDC_DISPLAY_NAME) return null;
  return {
    id: "oidc",
    name: env.OIDC_DISPLAY_NAME,
    type: "oauth",
    wellKnown: `${env.OIDC_ISSUER}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid email profile" } },
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    profile: (claims) => ({
      id: claims.sub,
      name: claims.name ?? claims.preferred_username ?? null,
      email: claims.email ?? null,
    }),
  };
}

/**
 * GitHub (GITHUB_ID, GITHUB_SECRET): OAuth 2.0, no id_token. Its /user gives an email only when the
 * person made one public, verified or not; /user/emails says which is primary and verified: only the
 * primary address, and only when GitHub verified it, counts as verified here.
 */
function githubProvider(env: Env): OAuthConfig<GithubProfile> | null {
  if (!env.GITHUB_ID || !env.GITHUB_SECRET) return null;
  const preset = GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET });
  return {
    ...preset,
    checks: ["pkce", "state"],
    userinfo: {
      url: "https://api.github.com/user",
      async request({ client, tokens }) {
        const profile = await client.userinfo(tokens.access_token!);
        const response = await fetch("https://api.github.com/user/emails", {
          headers: { Authorization: `Bearer ${tokens.access_token}`, Accept: "application/vnd.github+json" },
        });
        const emails = response.ok
          ? ((await response.json()) as { email: string; primary: boolean; verified: boolean }[])
          : [];
        const primary = emails.find((entry) => entry.primary);
        return primary
          ? { ...profile, email: primary.email, email_verified: primary.verified }
          : { ...profile, email_verified: false };
      },
    },
  };
}

export function identityProviders(env: Env): Provider[] {
  return [oidcProvider(env), githubProvider(env)].filter((provider) => provider !== null) as Provider[];
}

/**
 * What next-auth's OAuth callback hands `signIn` (the provider's id, the account id its `profile`
 * mapped, the raw claims or GitHub profile) as the engine's `ExternalIdentity`.
 */
export function toExternalIdentity(
  env: Env,
  account: { provider: string; providerAccountId: string },
  profile: Record<string, unknown> | undefined,
): ExternalIdentity {
  const claims = profile ?? {};
  const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);
  const verified = claims.email_verified === true || claims.email_verified === "true";
  return {
    provider: account.provider,
    providerName: identityProviderName(env, account.provider),
    subject: account.providerAccountId,
    email: text(claims.email),
    emailVerified: verified,
    name: text(claims.name) ?? text(claims.preferred_username) ?? text(claims.login),
  };
}
