/**
 * What the password provider and the second-factor provider tell the sign-in form through
 * next-auth's error text (no secret in it: the mfa token stays in an HttpOnly cookie). Plain
 * constants, so the form (a client component) can import them.
 */

/** The password was right; the account asks for a code: show the second step. */
export const SECOND_FACTOR_REQUIRED = "SecondFactorRequired";

/** The second step cannot go on (expired, used, too many wrong codes, the account changed): start again. */
export const SECOND_FACTOR_RESTART = "SecondFactorRestart";
