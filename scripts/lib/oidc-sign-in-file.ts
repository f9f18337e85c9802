/**
 * The claims of the test OpenID Connect provider's next sign-in (scripts/lib/oidc-provider.ts), kept
 * in a file so any test process can choose them. No dependency: Playwright workers import this.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The claims of the next sign-in's id_token and userinfo. */
export interface OidcSignIn {
  sub: string;
  email?: string | null;
  email_verified?: boolean;
  name?: string | null;
  /** Replaces the nonce the app sent (a replayed or injected id_token): the app must refuse it. */
  nonce?: string;
}

/** OIDC_DISPLAY_NAME of the apps the tests start with this provider. */
export const OIDC_DISPLAY_NAME = "Test SSO";

const FILE = "next-sign-in.json";

export function setOidcSignIn(dir: string, signIn: OidcSignIn): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, FILE), JSON.stringify(signIn));
}

export function readOidcSignIn(dir: string): OidcSignIn {
  try {
    return JSON.parse(readFileSync(path.join(dir, FILE), "utf8")) as OidcSignIn;
  } catch {
    return { sub: "nobody", email: null };
  }
}
