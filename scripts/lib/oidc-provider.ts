/**
 * A real OpenID Connect provider for tests (oauth2-mock-server): discovery, authorization code with
 * PKCE, signed id_tokens (its own RS256 key, published at /jwks), userinfo. It asks no one: its
 * /authorize redirects straight back with a code, and the id_token (and userinfo) of the next
 * sign-in carry the claims the test chose with `setNextSignIn`. Those claims are kept in a file
 * (`dir`), so a test process other than the one that started the provider (a Playwright worker)
 * can choose them too (`setOidcSignIn(dir, ...)`).
 */
import { Events, OAuth2Server } from "oauth2-mock-server";
import { OIDC_DISPLAY_NAME, readOidcSignIn, setOidcSignIn, type OidcSignIn } from "./oidc-sign-in-file";

export { OIDC_DISPLAY_NAME, setOidcSignIn, type OidcSignIn };

export interface OidcProvider {
  /** http://127.0.0.1:<port>, for OIDC_ISSUER. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_DISPLAY_NAME for the app under test. */
  env: Record<string, string>;
  setNextSignIn(signIn: OidcSignIn): void;
  close(): Promise<void>;
}

const CLIENT_ID = "revocable-sessions-test";
const CLIENT_SECRET = "test-client-secret-not-a-real-one";

export async function startOidcProvider(options: { dir: string }): Promise<OidcProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  await server.start(0, "127.0.0.1");
  const issuer = server.issuer.url!;

  const claims = (signIn: OidcSignIn) => ({
    sub: signIn.sub,
    ...(signIn.email === undefined ? {} : { email: signIn.email }),
    ...(signIn.email_verified === undefined ? {} : { email_verified: signIn.email_verified }),
    ...(signIn.name === undefined ? {} : { name: signIn.name }),
  });
  // Every token of the token endpoint (the access token and the id_token) and userinfo say the same.
  server.service.on(Events.BeforeTokenSigning, (token) => {
    const signIn = readOidcSignIn(options.dir);
    Object.assign(token.payload, claims(signIn), signIn.nonce === undefined ? {} : { nonce: signIn.nonce });
  });
  server.service.on(Events.BeforeUserinfo, (response) => {
    response.body = claims(readOidcSignIn(options.dir));
  });

  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_DISPLAY_NAME,
    },
    setNextSignIn: (signIn) => setOidcSignIn(options.dir, signIn),
    close: () => server.stop(),
  };
}
