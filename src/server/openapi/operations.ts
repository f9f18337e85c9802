import type { z } from "zod";
import {
  changeEmailSchema,
  changePasswordSchema,
  deleteAccountSchema,
  logoutSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
  registerSchema,
  verifyEmailSchema,
} from "@/core/validation";
import {
  emptyResponseSchema,
  healthResponseSchema,
  jwksSchema,
  meResponseSchema,
  nextAuthCsrfSchema,
  nextAuthProvidersSchema,
  nextAuthSessionSchema,
  nextAuthUrlSchema,
  registerResponseSchema,
  sessionsResponseSchema,
  tokenResponseSchema,
} from "../http/response-schemas";
import { nextAuthClientLogSchema, revokeSchema, sessionIdSchema, tokenRequestSchema } from "../http/schemas";
import { activityQuerySchema, activityResponseSchema } from "../http/activity-schemas";
import { identitiesResponseSchema, providerIdSchema, unlinkIdentityBodySchema } from "../http/identity-schemas";
import {
  recoveryCodesResponseSchema,
  totpConfirmSchema,
  totpDisableSchema,
  totpReauthSchema,
  totpSetupResponseSchema,
  totpStatusResponseSchema,
} from "../http/two-factor-schemas";
import {
  addPasskeySchema,
  passkeyCreationOptionsSchema,
  passkeyIdSchema,
  passkeyReauthSchema,
  passkeyRequestOptionsSchema,
  passkeySignInRequestSchema,
  passkeysResponseSchema,
  passkeyViewSchema,
} from "../http/passkey-schemas";
import {
  authorizationServerMetadataSchema,
  introspectionRequestSchema,
  introspectionResponseSchema,
} from "../http/oauth-schemas";

/**
 * Every operation of the HTTP API, described with the zod schemas the routes validate and answer
 * with. src/server/openapi/document.ts turns this list into the OpenAPI 3.1 document served at
 * /api/openapi.json; tests/integration/openapi.test.ts checks it against the routes on disk and
 * every response the integration tests see.
 */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type Security = "bearer" | "basic" | "cookie" | "none";

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json when there is a schema. */
  contentType?: string;
  /** An error answer: the Error schema. */
  errorBody?: boolean;
  /** Response headers, by name: their descriptions (an error answer defaults to its status's usual ones). */
  headers?: Record<string, string>;
}

export interface Operation {
  method: HttpMethod;
  /** OpenAPI path template: `{id}` for a dynamic segment. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  security: Security;
  request?: { schema: z.ZodType; contentTypes: readonly string[] };
  query?: z.ZodObject;
  pathParams?: Record<string, z.ZodType>;
  responses: Record<number, ResponseSpec>;
  /** Answers 404 unless a setting enables it (benchmarks only). */
  hidden?: boolean;
}

export const TAGS = {
  tokens: "Tokens (OAuth 2.0)",
  account: "Account and devices",
  browser: "Browser (next-auth and live sign-out)",
  operations: "Operations",
} as const;
export type Tag = (typeof TAGS)[keyof typeof TAGS];

const FORM_OR_JSON = ["application/x-www-form-urlencoded", "application/json"] as const;
const JSON_OR_FORM = ["application/json", "application/x-www-form-urlencoded"] as const;

/** Error answers, by status; each operation lists the ones it can give. */
const E = {
  400: "Invalid request: a missing or malformed field (see `fields`), a body that is not JSON/form, an unknown grant.",
  401: 'Missing, invalid, expired or revoked access token (`WWW-Authenticate: Bearer error="invalid_token"`).',
  403: "A cross-site state-changing request from a browser (Origin not this app).",
  404: "No such active session of this user.",
  409: "An account with this email already exists.",
  413: "The body is larger than 16 KiB.",
  429: "Too many attempts; `Retry-After` says when to try again.",
  503: "Storage (database, or revocation store without a fallback) unreachable; `Retry-After: 5`. Never an acceptance.",
} as const;
type ErrorStatus = keyof typeof E;

function errors(...statuses: ErrorStatus[]): Record<number, ResponseSpec> {
  return Object.fromEntries(statuses.map((status) => [status, { description: E[status], errorBody: true }]));
}

/** 400 for a one-time link's token that is not (or no longer) valid, or a malformed body. */
const INVALID_LINK: ResponseSpec = {
  description:
    "`invalid_grant`: the link's token is unknown, already used, superseded by a newer link, or expired (or, for a reset link, older than a password change or a change of address). `invalid_request`: a missing or malformed field (see `fields`).",
  errorBody: true,
};

/**
 * The re-authentication rule (RFC 9470) of the irreversible account changes: the 401s they give and
 * the 400 of a wrong password.
 */
const REAUTHENTICATION = {
  400: {
    description:
      "`invalid_grant` with `fields.password`: the password is wrong (counted against the account's sign-in failure budget). `invalid_request`: a missing or malformed field.",
    errorBody: true,
  },
  401: {
    description:
      'Missing, invalid, expired or revoked access token (`invalid_token`, `WWW-Authenticate: Bearer error="invalid_token"`); or `insufficient_user_authentication`: no `password` was given and the token\'s `auth_time` (the last password check) is older than REAUTH_MAX_AGE_SECONDS. Ask the user for the password and send it, or sign in again.',
    errorBody: true,
    headers: {
      "WWW-Authenticate":
        'Bearer error="invalid_token" (RFC 6750 §3), or Bearer error="insufficient_user_authentication", error_description="...", max_age=<seconds> (RFC 9470 §3).',
    },
  },
} satisfies Record<number, ResponseSpec>;

const REAUTHENTICATION_NOTE =
  "Needs re-authentication: the current `password` in the body, or an access token whose `auth_time` is at most REAUTH_MAX_AGE_SECONDS (default 600) old; otherwise 401 `insufficient_user_authentication`. A wrong password spends the same per-account budget as failed sign-ins (429 once it is spent).";

/** A GET that exists only with BENCHMARK_ROUTES=1 (src/app/api/bench): 404 otherwise. */
function benchmarkOperation(spec: {
  path: string;
  operationId: string;
  summary: string;
  security: Security;
  ok: ResponseSpec;
  errors: Record<number, ResponseSpec>;
}): Operation {
  return {
    method: "get",
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    tag: TAGS.operations,
    security: spec.security,
    hidden: true,
    responses: {
      200: spec.ok,
      404: { description: "Benchmark routes are off (the default).", errorBody: true },
      ...spec.errors,
    },
  };
}

export const operations: Operation[] = [
  {
    method: "post",
    path: "/api/auth/register",
    operationId: "register",
    summary: "Create an account",
    tag: TAGS.account,
    security: "none",
    request: { schema: registerSchema, contentTypes: JSON_OR_FORM },
    responses: {
      201: { description: "The account; sign in with the token endpoint next.", schema: registerResponseSchema },
      ...errors(400, 403, 409, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/token",
    operationId: "token",
    summary: "Sign a device in (password grant) or rotate its refresh token (refresh_token grant)",
    description:
      "RFC 6749 §4.3 and §6. Each password grant creates a new device session. A refresh token is single use: presenting any earlier one of the session again (outside a few seconds' grace for parallel requests) signs that device out; a forged one is only invalid_grant. Refused refresh tokens count against the caller's address: over its limit, 429 with Retry-After. With two-factor sign-in on, the password grant makes no session and answers 400 `mfa_required` with an `mfa_token` (single use, 5 minutes, at most 5 wrong answers); `grant_type=mfa_otp` (`mfa_token`, `otp`: the 6-digit code, a code never accepted twice) or `grant_type=mfa_recovery_code` (`mfa_token`, `recovery_code`) then answers the token pair. Wrong codes spend the account's sign-in failure budget, like wrong passwords (429 once it is spent).",
    tag: TAGS.tokens,
    security: "none",
    request: { schema: tokenRequestSchema, contentTypes: FORM_OR_JSON },
    responses: {
      200: { description: "A new token pair.", schema: tokenResponseSchema },
      ...errors(400, 403, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/revoke",
    operationId: "revoke",
    summary: "Revoke a token (RFC 7009): signs out the device session it belongs to",
    description: "Answers 200 whether or not the token was valid, as RFC 7009 §2.2 asks.",
    tag: TAGS.tokens,
    security: "none",
    request: { schema: revokeSchema, contentTypes: FORM_OR_JSON },
    responses: {
      200: { description: "Done (or nothing to do).", schema: emptyResponseSchema },
      ...errors(400, 403, 413, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/introspect",
    operationId: "introspect",
    summary: "Token introspection (RFC 7662) for other services: is this access token accepted right now?",
    description:
      'For the clients listed in INTROSPECTION_CLIENTS (HTTP Basic). Runs the same check as every API request (signature, expiry, revocation, batch number). Anything not accepted now, refresh tokens included, is `{"active": false}`; when revocation cannot be determined the answer is 503, never a guess.',
    tag: TAGS.tokens,
    security: "basic",
    request: { schema: introspectionRequestSchema, contentTypes: FORM_OR_JSON },
    responses: {
      200: {
        description: "`active` and, when true, who and which device session.",
        schema: introspectionResponseSchema,
      },
      ...errors(400, 403, 413, 429, 503),
      401: {
        description:
          'Unknown client, wrong secret or no Basic credentials (`invalid_client`, `WWW-Authenticate: Basic realm="introspection"`).',
        errorBody: true,
      },
    },
  },
  {
    method: "post",
    path: "/api/auth/logout",
    operationId: "logout",
    summary: "Log out this device, all other devices, or everywhere",
    description:
      "`local` ends this session; `others` every other session; `global` raises the account's batch number so every token issued before is refused.",
    tag: TAGS.account,
    security: "bearer",
    request: { schema: logoutSchema, contentTypes: JSON_OR_FORM },
    responses: { 204: { description: "Signed out." }, ...errors(400, 401, 413, 503) },
  },
  {
    method: "get",
    path: "/api/me",
    operationId: "me",
    summary: "Who the token belongs to (from its claims; revocation is checked)",
    tag: TAGS.account,
    security: "bearer",
    responses: {
      200: { description: "The user and this session.", schema: meResponseSchema },
      ...errors(400, 401, 503),
    },
  },
  {
    method: "get",
    path: "/api/sessions",
    operationId: "listSessions",
    summary: "The user's signed-in devices, most recently active first",
    tag: TAGS.account,
    security: "bearer",
    responses: {
      200: { description: "Live sessions; `current` marks the caller's.", schema: sessionsResponseSchema },
      ...errors(400, 401, 503),
    },
  },
  {
    method: "delete",
    path: "/api/sessions/{id}",
    operationId: "revokeSession",
    summary: "Log out one device (possibly this one)",
    tag: TAGS.account,
    security: "bearer",
    pathParams: { id: sessionIdSchema },
    responses: { 204: { description: "That device is signed out at once." }, ...errors(400, 401, 403, 404, 503) },
  },
  {
    method: "get",
    path: "/api/account/activity",
    operationId: "activity",
    summary: "The account's security activity, newest first: sign-ins, new devices, sign-outs and who caused them",
    description:
      "Keyset-paginated: pass back `olderCursor` (or `newerCursor`) of a page as `cursor`. The /settings/activity page shows the same data.",
    tag: TAGS.account,
    security: "bearer",
    query: activityQuerySchema,
    responses: {
      200: { description: "One page of events.", schema: activityResponseSchema },
      ...errors(400, 401, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/password",
    operationId: "changePassword",
    summary: "Change the password: every other device is signed out, this one gets a new token pair",
    description:
      "A wrong `currentPassword` (400 `invalid_grant`) counts against the same per-account budget as failed sign-ins: once it is spent, 429 with `Retry-After`, even for the right password, and sign-in is refused too.",
    tag: TAGS.account,
    security: "bearer",
    request: { schema: changePasswordSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "This device's new token pair.", schema: tokenResponseSchema },
      ...errors(400, 401, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/password-reset",
    operationId: "requestPasswordReset",
    summary: "Ask for a password reset link by email",
    description:
      "Answers 202 `{}` whether or not an account has this email (same body, same time): an existing account gets a link `<APP_URL>/reset-password?token=...`, valid PASSWORD_RESET_TTL_SECONDS (default 30 minutes); a newer link kills the older one. Limited per address and per email, account or not (429 with `Retry-After`).",
    tag: TAGS.account,
    security: "none",
    request: { schema: passwordResetRequestSchema, contentTypes: JSON_OR_FORM },
    responses: {
      202: { description: "Accepted: a link is mailed if the account exists.", schema: emptyResponseSchema },
      ...errors(400, 403, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/password-reset/confirm",
    operationId: "resetPassword",
    summary: "Set a new password with a reset link's token: every device of the account is signed out",
    description:
      "The token is single use. On success the account's batch number is raised: every session and token issued before is refused at once, on every instance, and open browsers are signed out; a notice is mailed. Refused tokens count against the caller's address (429 with `Retry-After` over its budget).",
    tag: TAGS.account,
    security: "none",
    request: { schema: passwordResetSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "The password is set; sign in with it.", schema: emptyResponseSchema },
      400: INVALID_LINK,
      ...errors(403, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/verify-email",
    operationId: "verifyEmail",
    summary: "Use an email verification link's token, or an email change link's (the address changes then)",
    description:
      "Verification links are mailed at registration and on request (`POST /api/account/email/verification`), email change links by `POST /api/account/email`; both open `<APP_URL>/verify-email?token=...` and are valid EMAIL_VERIFICATION_TTL_SECONDS (default 24 hours). After an email change, the old address gets a notice and sign-in takes the new one. Tokens already issued keep their `email` and `email_verified` claims until their next refresh. Refused tokens count against the caller's address (429 with `Retry-After` over its budget).",
    tag: TAGS.account,
    security: "none",
    request: { schema: verifyEmailSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "The address is verified (or changed).", schema: emptyResponseSchema },
      400: INVALID_LINK,
      409: {
        description:
          "`email_taken`: an email change whose new address another account took since the link was sent; nothing changed.",
        errorBody: true,
      },
      ...errors(403, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/email/verification",
    operationId: "sendVerificationEmail",
    summary: "Mail a fresh verification link to the account's address (the older link stops working)",
    description:
      "Nothing is sent when the address is verified already (still 202). Limited per account, with email change links (429 with `Retry-After`).",
    tag: TAGS.account,
    security: "bearer",
    responses: {
      202: { description: "Accepted: a link is on its way.", schema: emptyResponseSchema },
      ...errors(400, 401, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/email",
    operationId: "changeEmail",
    summary: "Change the account's email: a confirmation link to the new address, a notice to the old one",
    description: `Nothing changes until the link is used (\`POST /api/auth/verify-email\`). A new address that another account uses answers the same 202 and gets no link (no enumeration). ${REAUTHENTICATION_NOTE} Limited per account, with verification links (429 with \`Retry-After\`).`,
    tag: TAGS.account,
    security: "bearer",
    request: { schema: changeEmailSchema, contentTypes: JSON_OR_FORM },
    responses: {
      202: { description: "Accepted: the link is on its way (if the address is free).", schema: emptyResponseSchema },
      ...REAUTHENTICATION,
      ...errors(413, 429, 503),
    },
  },
  {
    method: "delete",
    path: "/api/account",
    operationId: "deleteAccount",
    summary: "Delete the account: every device signed out, every row of the user removed, a goodbye email",
    description: `Every session and token of the user is refused on its next request, on every instance, and open browsers are signed out. The same email can register again afterwards (a new, empty account). ${REAUTHENTICATION_NOTE}`,
    tag: TAGS.account,
    security: "bearer",
    request: { schema: deleteAccountSchema, contentTypes: JSON_OR_FORM },
    responses: {
      204: { description: "Deleted." },
      ...REAUTHENTICATION,
      ...errors(413, 429, 503),
    },
  },
  // ---- passkeys (WebAuthn) -----------------------------------------------------------------------
  {
    method: "get",
    path: "/api/account/passkeys",
    operationId: "listPasskeys",
    summary: "The account's passkeys, oldest first",
    tag: TAGS.account,
    security: "bearer",
    responses: {
      200: { description: "Name, created and last used times of each.", schema: passkeysResponseSchema },
      ...errors(400, 401, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/passkeys/options",
    operationId: "passkeyRegistrationOptions",
    summary: "Creation options for a new passkey (for navigator.credentials.create)",
    description: `A discoverable credential for this app's host (the RP id), user verification preferred, the account's passkeys excluded; the challenge is single use and valid 5 minutes. ${REAUTHENTICATION_NOTE} At most 20 passkeys per account (409).`,
    tag: TAGS.account,
    security: "bearer",
    request: { schema: passkeyReauthSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "The options.", schema: passkeyCreationOptionsSchema },
      ...REAUTHENTICATION,
      409: { description: "`conflict`: the account has 20 passkeys already.", errorBody: true },
      ...errors(413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/passkeys",
    operationId: "addPasskey",
    summary: "Store a passkey: the authenticator's answer to the creation options",
    description:
      "Checks the challenge (single use: any answer uses it up), the origin (APP_URL), the RP id and the attestation's signature; `name` is trimmed, at most 64 characters, and defaults to the device's description. A `passkey_added` event is recorded and the owner is mailed.",
    tag: TAGS.account,
    security: "bearer",
    request: { schema: addPasskeySchema, contentTypes: ["application/json"] },
    responses: {
      201: { description: "The stored passkey.", schema: passkeyViewSchema },
      400: {
        description:
          "`invalid_grant`: the challenge is unknown, used or expired, or the answer does not verify (another origin, a bad signature). `invalid_request`: a missing or malformed field.",
        errorBody: true,
      },
      409: { description: "`conflict`: this credential is registered already.", errorBody: true },
      ...errors(401, 413, 503),
    },
  },
  {
    method: "delete",
    path: "/api/account/passkeys/{id}",
    operationId: "removePasskey",
    summary: "Remove one of the account's passkeys",
    description: `It can no longer sign in. ${REAUTHENTICATION_NOTE} A \`passkey_removed\` event is recorded and the owner is mailed.`,
    tag: TAGS.account,
    security: "bearer",
    pathParams: { id: passkeyIdSchema },
    request: { schema: passkeyReauthSchema, contentTypes: JSON_OR_FORM },
    responses: {
      204: { description: "Removed." },
      ...REAUTHENTICATION,
      404: { description: "`not_found`: no passkey with this id on the caller's account.", errorBody: true },
      409: {
        description: "`conflict`: it is the account's last way in (no password, no other passkey or identity).",
        errorBody: true,
      },
      ...errors(413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/passkey/options",
    operationId: "passkeySignInOptions",
    summary: "Request options for a passkey sign-in (for navigator.credentials.get), naming no account",
    description:
      "The challenge is single use and valid 5 minutes. Counted against the address's sign-in attempts (429 with `Retry-After`).",
    tag: TAGS.tokens,
    security: "none",
    responses: {
      200: { description: "The options.", schema: passkeyRequestOptionsSchema },
      ...errors(400, 403, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/passkey",
    operationId: "passkeySignIn",
    summary: "Sign a device in with a passkey (for mobile and other API clients)",
    description:
      'Checks the challenge (single use), the origin, the RP id, the signature, user verification and the signature counter (a counter that goes backwards is refused: a cloned authenticator). A new device session like the password grant\'s, with `amr` ["hwk", "user"] and `signInMethod` "passkey"; its `auth_time` satisfies re-authentication. No TOTP step: a passkey is possession and user verification already. Refused answers count against the caller\'s address (429 with `Retry-After` over its budget).',
    tag: TAGS.tokens,
    security: "none",
    request: { schema: passkeySignInRequestSchema, contentTypes: ["application/json"] },
    responses: {
      200: { description: "A new token pair.", schema: tokenResponseSchema },
      400: {
        description:
          "`invalid_grant`: unknown or removed passkey, a challenge unknown, used or expired, an answer that does not verify, or a disabled account. `invalid_request`: a missing or malformed field.",
        errorBody: true,
      },
      ...errors(403, 413, 429, 503),
    },
  },
  {
    method: "get",
    path: "/api/session/events",
    operationId: "sessionEvents",
    summary: "Live sign-out push for the signed-in browser (server-sent events, cookie-authenticated)",
    description:
      "Sends `signed-out` (with the reason) as soon as this browser's session is revoked; an already signed-out browser gets it at once.",
    tag: TAGS.browser,
    security: "cookie",
    responses: { 200: { description: "An event stream.", contentType: "text/event-stream" }, ...errors(400, 503) },
  },
  {
    method: "get",
    path: "/api/auth/csrf",
    operationId: "nextAuthCsrf",
    summary: "next-auth: the CSRF token for the browser sign-in form",
    tag: TAGS.browser,
    security: "none",
    responses: {
      200: { description: "The token (also set as a cookie).", schema: nextAuthCsrfSchema },
      ...errors(400, 503),
    },
  },
  {
    method: "get",
    path: "/api/auth/session",
    operationId: "nextAuthSession",
    summary: "next-auth: the browser's session (empty object when signed out)",
    tag: TAGS.browser,
    security: "cookie",
    responses: {
      200: { description: "next-auth's session object.", schema: nextAuthSessionSchema },
      ...errors(400, 503),
    },
  },
  {
    method: "get",
    path: "/api/auth/providers",
    operationId: "nextAuthProviders",
    summary: "next-auth: the configured sign-in providers",
    tag: TAGS.browser,
    security: "none",
    responses: { 200: { description: "Providers by id.", schema: nextAuthProvidersSchema }, ...errors(400, 503) },
  },
  {
    method: "post",
    path: "/api/auth/callback/credentials",
    operationId: "nextAuthSignIn",
    summary: "next-auth: browser sign-in with email and password (sets the session cookies)",
    tag: TAGS.browser,
    security: "none",
    responses: {
      200: { description: "With `json=true`: where to go next.", schema: nextAuthUrlSchema },
      401: {
        description: "With `json=true`: wrong email or password; the URL carries `error=CredentialsSignin`.",
        schema: nextAuthUrlSchema,
      },
      302: { description: "Without `json=true`: a redirect." },
      ...errors(400, 403, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/callback/passkey",
    operationId: "nextAuthPasskeySignIn",
    summary: "next-auth: browser sign-in with a passkey (sets the session cookies)",
    description:
      "`response`: the JSON text of the browser's `navigator.credentials.get` answer to options from `POST /api/auth/passkey/options`; checked like `POST /api/auth/passkey`.",
    tag: TAGS.browser,
    security: "none",
    responses: {
      200: { description: "With `json=true`: where to go next.", schema: nextAuthUrlSchema },
      401: {
        description: "With `json=true`: the passkey was refused; the URL's `error` is the readable reason.",
        schema: nextAuthUrlSchema,
      },
      302: { description: "Without `json=true`: a redirect." },
      ...errors(400, 403, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/signout",
    operationId: "nextAuthSignOut",
    summary: "next-auth: browser sign-out (also ends this device session)",
    tag: TAGS.browser,
    security: "cookie",
    responses: {
      200: { description: "With `json=true`: where to go next.", schema: nextAuthUrlSchema },
      302: { description: "Without `json=true`: a redirect." },
      ...errors(400, 403, 503),
    },
  },
  {
    method: "post",
    path: "/api/auth/_log",
    operationId: "nextAuthClientLog",
    summary: "next-auth: its browser client reports its own failures",
    description:
      "Anyone can post here, so a report is written only at debug level, its `level` and `code` cut short, and nothing else of it.",
    tag: TAGS.browser,
    security: "none",
    request: { schema: nextAuthClientLogSchema, contentTypes: FORM_OR_JSON },
    responses: { 204: { description: "Received." }, ...errors(400, 403, 413, 503) },
  },
  {
    method: "get",
    path: "/.well-known/jwks.json",
    operationId: "jwks",
    summary: "Public keys that verify access tokens (several during a key rotation)",
    tag: TAGS.tokens,
    security: "none",
    responses: {
      200: { description: "A JSON Web Key Set; cacheable for 5 minutes.", schema: jwksSchema },
      ...errors(400, 503),
    },
  },
  {
    method: "get",
    path: "/.well-known/oauth-authorization-server",
    operationId: "authorizationServerMetadata",
    summary: "OAuth 2.0 authorization server metadata (RFC 8414): the endpoints and the key set",
    tag: TAGS.tokens,
    security: "none",
    responses: {
      200: { description: "Cacheable for 5 minutes.", schema: authorizationServerMetadataSchema },
      ...errors(400, 503),
    },
  },
  {
    method: "get",
    path: "/api/health",
    operationId: "health",
    summary: "Liveness with a database round trip, for load balancers",
    tag: TAGS.operations,
    security: "none",
    responses: { 200: { description: "Serving.", schema: healthResponseSchema }, ...errors(400, 503) },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    operationId: "openapi",
    summary: "This document",
    tag: TAGS.operations,
    security: "none",
    responses: { 200: { description: "OpenAPI 3.1.", contentType: "application/json" }, ...errors(400) },
  },
  benchmarkOperation({
    path: "/api/bench/stateless",
    operationId: "benchStateless",
    summary: "Benchmark baseline: a purely stateless JWT check (404 unless BENCHMARK_ROUTES=1)",
    security: "bearer",
    ok: { description: "Like /api/me, without any revocation check.", schema: meResponseSchema },
    errors: errors(400, 401, 503),
  }),
  benchmarkOperation({
    path: "/api/bench/constant",
    operationId: "benchConstant",
    summary: "Benchmark floor: a route handler that answers a constant (404 unless BENCHMARK_ROUTES=1)",
    security: "none",
    ok: { description: "Always `{}`.", schema: emptyResponseSchema },
    errors: errors(400, 503),
  }),
  // ---- two-factor sign-in (TOTP and recovery codes) ----------------------------------------------
  {
    method: "get",
    path: "/api/account/totp",
    operationId: "totpStatus",
    summary: "Whether two-factor sign-in (TOTP) is on, and how many recovery codes are left",
    tag: TAGS.account,
    security: "bearer",
    responses: {
      200: { description: "The account's two-factor state.", schema: totpStatusResponseSchema },
      ...errors(400, 401, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/totp",
    operationId: "beginTotpSetup",
    summary: "Start TOTP set-up: a new secret and its otpauth:// URI (nothing changes until confirmed)",
    description: `The secret is stored sealed (AES-256-GCM under a key derived from AUTH_SECRET) and pending: confirm it with a code within 15 minutes (\`POST /api/account/totp/confirm\`). Starting again replaces a pending secret. ${REAUTHENTICATION_NOTE}`,
    tag: TAGS.account,
    security: "bearer",
    request: { schema: totpReauthSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "The secret, shown this once.", schema: totpSetupResponseSchema },
      ...REAUTHENTICATION,
      409: { description: "`conflict`: two-factor sign-in is already on.", errorBody: true },
      ...errors(403, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/totp/confirm",
    operationId: "confirmTotp",
    summary: "Turn TOTP on with a code from the pending secret; answers ten recovery codes",
    description:
      "Tokens issued before keep `two_factor: false` until their next refresh. A mail tells the owner; the activity log records it.",
    tag: TAGS.account,
    security: "bearer",
    request: { schema: totpConfirmSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "On; the recovery codes, shown this once.", schema: recoveryCodesResponseSchema },
      400: {
        description: "`invalid_grant` with `fields.code`: the code is wrong. `invalid_request`: a missing field.",
        errorBody: true,
      },
      409: {
        description: "`conflict`: no set-up is waiting (none started, or older than 15 minutes), or it is on already.",
        errorBody: true,
      },
      ...errors(401, 403, 413, 503),
    },
  },
  {
    method: "delete",
    path: "/api/account/totp",
    operationId: "disableTotp",
    summary: "Turn TOTP off (the password is required); its secret and recovery codes are deleted",
    tag: TAGS.account,
    security: "bearer",
    request: { schema: totpDisableSchema, contentTypes: JSON_OR_FORM },
    responses: {
      204: { description: "Off." },
      ...REAUTHENTICATION,
      409: { description: "`conflict`: two-factor sign-in is not on.", errorBody: true },
      ...errors(403, 413, 429, 503),
    },
  },
  {
    method: "post",
    path: "/api/account/totp/recovery-codes",
    operationId: "regenerateRecoveryCodes",
    summary: "Ten new recovery codes; the earlier ones stop working",
    description: REAUTHENTICATION_NOTE,
    tag: TAGS.account,
    security: "bearer",
    request: { schema: totpReauthSchema, contentTypes: JSON_OR_FORM },
    responses: {
      200: { description: "The new codes, shown this once.", schema: recoveryCodesResponseSchema },
      ...REAUTHENTICATION,
      409: { description: "`conflict`: two-factor sign-in is not on.", errorBody: true },
      ...errors(403, 413, 429, 503),
    },
  },
  // ---- identity providers (OpenID Connect, GitHub) ----
  {
    method: "get",
    path: "/api/account/identities",
    operationId: "listIdentities",
    summary: "The identity providers' accounts (OpenID Connect, GitHub) connected to this account",
    description:
      "Connecting happens in the browser (/settings/security, Connected accounts): it needs the provider's own sign-in.",
    tag: TAGS.account,
    security: "bearer",
    responses: {
      200: { description: "The connected identities.", schema: identitiesResponseSchema },
      ...errors(400, 401, 503),
    },
  },
  {
    method: "delete",
    path: "/api/account/identities/{provider}",
    operationId: "unlinkIdentity",
    summary: "Disconnect the account's identity at a provider (never the account's last way in)",
    description: `The body is optional (\`{"password": "..."}\`). ${REAUTHENTICATION_NOTE} A mail tells the owner.`,
    tag: TAGS.account,
    security: "bearer",
    pathParams: { provider: providerIdSchema },
    request: { schema: unlinkIdentityBodySchema, contentTypes: JSON_OR_FORM },
    responses: {
      204: { description: "Disconnected: that identity no longer signs in." },
      ...REAUTHENTICATION,
      ...errors(403, 413, 429, 503),
      404: { description: "No identity of this provider is connected to the account.", errorBody: true },
      409: {
        description:
          "`conflict`: it is the account's last way in (no password, no other passkey or identity). Set a password first (a reset link).",
        errorBody: true,
      },
    },
  },
  {
    method: "post",
    path: "/api/auth/signin/{provider}",
    operationId: "nextAuthIdentitySignIn",
    summary: "next-auth: start a sign-in with an identity provider (with `csrfToken`)",
    description:
      "Sets next-auth's state, PKCE and nonce cookies and sends the browser to the provider's authorization endpoint.",
    tag: TAGS.browser,
    security: "none",
    pathParams: { provider: providerIdSchema },
    responses: {
      200: { description: "With `json=true`: the provider's authorization URL.", schema: nextAuthUrlSchema },
      302: { description: "Without `json=true`: a redirect to the provider." },
      ...errors(400, 403, 503),
    },
  },
  {
    method: "get",
    path: "/api/auth/callback/{provider}",
    operationId: "nextAuthIdentityCallback",
    summary: "next-auth: where the identity provider sends the browser back (code and state)",
    description:
      "state, PKCE and the id_token's nonce, signature, issuer and audience are checked. Signed in: the session cookies are set and the browser goes to the callback URL. Refused: a redirect to /login?error=<code> (identity_not_linked, identity_no_email, account_disabled; next-auth's own codes such as OAuthCallback for a failed check). Connecting from /settings/security: back there with `connected` or `connect_error`.",
    tag: TAGS.browser,
    security: "none",
    pathParams: { provider: providerIdSchema },
    responses: { 302: { description: "A redirect (see above)." }, ...errors(400, 503) },
  },
  {
    method: "get",
    path: "/api/auth/error",
    operationId: "nextAuthError",
    summary: "next-auth: a failed sign-in, sent on to /login?error=<code>",
    tag: TAGS.browser,
    security: "none",
    responses: { 302: { description: "To /login with the error code." }, ...errors(400, 503) },
  },
  {
    method: "get",
    path: "/api/auth/signin",
    operationId: "nextAuthSignInPage",
    summary: "next-auth: its sign-in page, which is /login",
    tag: TAGS.browser,
    security: "none",
    responses: { 302: { description: "To /login (with the error code of a failed sign-in)." }, ...errors(400, 503) },
  },
];
