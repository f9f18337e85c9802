/**
 * Every sentence the engine (and the HTTP edge, which builds on it) writes for people, in English:
 * error messages, validation messages, the API's generic answers. One table, so that the app can
 * put any of them in the reader's language: src/i18n/engine-text.ts matches a message against these
 * templates and formats `errors.<id>` of the reader's catalogue with the values it captured
 * (messages/<locale>/errors.json; the English catalogue repeats these templates word for word, and
 * tests/unit/engine-text.test.ts fails when they drift apart).
 *
 * A `{name}` is a value put in at the throw site. Values are never English words: a duration is a
 * number in a template that names its unit, a field name or a provider's name is not translated.
 * Messages of the operators' tools (admin.ts, key-rotation.ts) stay English and are not listed.
 */
export const ENGINE_MESSAGES = {
  token: {
    missing: "An access token is required.",
    malformed: "The access token is malformed.",
    expired: "The access token has expired.",
    revoked: "The session of this token has been signed out.",
    signature: "The access token is not valid.",
    refreshInvalid: "The refresh token is invalid, expired or revoked.",
    refreshReused: "The refresh token was already used; the session has been signed out.",
  },
  account: {
    disabled: "This account is disabled.",
    gone: "This account no longer exists.",
    emailTaken: "An account with this email already exists.",
    wrongCredentials: "Wrong email or password.",
    noPasswordYet: "This account has no password yet. “Forgot password?” on the sign-in page sends a link to set one.",
    wrongCurrentPassword: "The current password is wrong.",
    changedMeanwhile: "The password or this session changed meanwhile. Sign in again.",
    sessionEnded: "This session has ended.",
    noSuchSession: "No such active session.",
    wrongPassword: "The password is wrong.",
    reauthWithPassword: "Enter your password again: this change needs a recent sign-in.",
    reauthBySignIn: "This change needs a recent sign-in: sign out, sign in again, then try again.",
  },
  link: {
    invalid: "This link is invalid, was already used or has expired.",
    emailTakenMeanwhile: "Another account uses that email address now; the change was not made.",
    sameEmail: "This is already your email address.",
  },
  rateLimit: {
    seconds: "Too many attempts. Please try again in {count} seconds.",
    minutes: "Too many attempts. Please try again in {count} minutes.",
  },
  unavailable: {
    sessions: "Sessions cannot be checked right now. Please try again in a moment.",
    database: "The service cannot reach its database right now. Please try again in a moment.",
    signIn: "Sign-in is temporarily unavailable. Please try again in a moment.",
    databaseHealth: "The database is unreachable.",
    unexpected: "Something went wrong on our side (incident {incident}).",
  },
  validation: {
    emailRequired: "Email is required.",
    emailTooLong: "Email is too long.",
    emailInvalid: "Enter a valid email address.",
    passwordRequired: "Password is required.",
    passwordTooShort: "Password must be at least {min} characters.",
    passwordTooLong: "Password must be at most {max} characters.",
    passwordUnchanged: "The new password must differ from the current one.",
    nameNotText: "Name must be text.",
    nameTooLong: "Name must be at most {max} characters.",
    nameControl: "Name must not contain control characters.",
    deviceNameNotText: "Device name must be text.",
    deviceNameTooLong: "Device name must be at most {max} characters.",
    deviceNameControl: "Device name must not contain control characters.",
    linkTokenRequired: "The link's token is required.",
    linkTokenTooLong: "The link's token is too long.",
    logoutScope: 'scope must be "local", "others" or "global".',
    invalidRequest: "Invalid request.",
    /** The first field's message, prefixed with the field's name (the API's `error_description`). */
    inField: "{field}: {message}",
  },
  twoFactor: {
    signInAgain: "This sign-in has expired or was already completed. Please sign in again.",
    notOn: "Two-factor authentication is not on for this account.",
    alreadyOn: "Two-factor authentication is already on.",
    secretUnreadable:
      "Codes from your authenticator app cannot be checked for this account. Use a recovery code, or set it up again.",
    noSetUp: "No set-up is waiting for a code (it expires after 15 minutes). Start again.",
    wrongCode: "The code is wrong. Enter the 6-digit code your authenticator app shows now.",
    setUpChanged: "The set-up changed meanwhile. Start again.",
    codeUsed: "This code was used already. Wait for the next one from your authenticator app.",
    wrongRecoveryCode: "This recovery code is wrong or was used already.",
    required: "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
  },
  passkey: {
    nameNotText: "Passkey name must be text.",
    nameTooLong: "Passkey name must be at most {max} characters.",
    nameControl: "Passkey name must not contain control characters.",
    notBase64url: "Expected base64url.",
    staleRegistration: "This passkey request has expired or was already used. Please try again.",
    staleSignIn: "This passkey sign-in has expired or was already used. Please try again.",
    notRecognised: "This passkey is not recognised. It may have been removed from its account.",
    notVerifiedTryAgain: "This passkey could not be verified. Please try again.",
    notVerified: "This passkey could not be verified.",
    tooMany: "An account can have at most {max} passkeys. Remove one to add another.",
    alreadyRegistered: "This passkey is already registered.",
    noSuch: "No such passkey on your account.",
    lastWayIn:
      "This passkey is the only way into your account. Set a password or add another way in before removing it.",
  },
  identity: {
    noEmail:
      "{provider} did not tell us an email address, so no account can be made with it. Allow access to your email address there, or register with a password.",
    notLinked:
      "An account with this email already exists. Sign in with your password (or passkey), then connect {provider} under Security settings.",
    alreadyConnected: "This {provider} account is already connected.",
    connectedElsewhere: "This {provider} account is connected to another account. Disconnect it there first.",
    otherConnected: "Your account is already connected to another {provider} account. Disconnect that one first.",
    notConnected: "No {provider} account is connected to yours.",
    lastWayIn:
      "{provider} is the only way into your account, so it cannot be disconnected. Set a password first: “Forgot password?” on the sign-in page sends a link.",
  },
  request: {
    bodyType: "Send the body as application/json or application/x-www-form-urlencoded.",
    bodyNotUtf8: "The request body is not valid UTF-8.",
    bodyNotJson: "The request body is not valid JSON.",
    bodyNotObject: "The request body must be a JSON object.",
    repeatedParameter: 'The parameter "{name}" is repeated.',
    bodyTooLarge: "The request body is larger than {max} bytes.",
    noSuchEndpoint: "There is no such API endpoint.",
    methodNotAllowed: "This endpoint accepts {methods} only.",
    /** `{parameter}` is a parameter's name as the API spells it (refresh_token, mfa_token...): never translated. */
    parameterRequired: "{parameter} is required.",
    parameterTooLong: "{parameter} is too long.",
    codeRequired: "The code is required.",
    codeTooLong: "The code is too long.",
    grantTypes: 'Supported grant types are "password", "refresh_token", "mfa_otp" and "mfa_recovery_code".',
    providerRequired: "The provider is required.",
    unknownProvider: "Unknown sign-in provider.",
    notUnderstood: "The sign-in service did not understand this request.",
    bodyUnreadable: "The request body could not be read.",
    crossSite: "Cross-site request refused.",
    /** `reason` is the proxy's technical description of what was wrong with the body. */
    formSubmissionUnreadable: "This form submission could not be read: {reason}. Reload the page and try again.",
  },
  /** The browser's forms: what a server action or the sign-in form says when the engine did not. */
  form: {
    correctFields: "Please correct the highlighted fields.",
    failed: "Something went wrong on our side. Please try again.",
    unreadable: "This form could not be read. Reload the page and try again.",
    signInUnavailable: "Signing in is not possible right now. Please try again in a moment.",
    enterCode: "Enter the code.",
    passkeyAnswerMissing: "The passkey's answer is missing.",
    passkeyAnswerUnreadable: "The passkey's answer could not be read. Please try again.",
  },
} as const;

type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A message's id: `group.name`, as in the catalogue's `errors` namespace. */
export type EngineMessageId = Leaves<typeof ENGINE_MESSAGES>;

/** The English template of a message. */
export function engineTemplate(id: EngineMessageId): string {
  const [group, name] = id.split(".") as [keyof typeof ENGINE_MESSAGES, string];
  return (ENGINE_MESSAGES[group] as Record<string, string>)[name]!;
}

/** Every message, by id: what the translations are checked against. */
export function engineTemplates(): Array<[EngineMessageId, string]> {
  return Object.entries(ENGINE_MESSAGES).flatMap(([group, messages]) =>
    Object.entries(messages).map(([name, template]): [EngineMessageId, string] => [
      `${group}.${name}` as EngineMessageId,
      template,
    ]),
  );
}

/** The English sentence: the template with its `{placeholders}` filled in. */
export function engineText(id: EngineMessageId, values: Record<string, string | number> = {}): string {
  return engineTemplate(id).replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
