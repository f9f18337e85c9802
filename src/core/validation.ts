import { z } from "zod";
import { AuthError } from "./errors";
import { engineText } from "./messages";

/**
 * Input schemas shared by the HTTP API, the server actions and the forms: one definition of what
 * a valid email or password is. Messages are written for people.
 */
export const PASSWORD_MIN = 8;
/** Bounds argon2's work per request and the size of what we accept; generous for passphrases. */
export const PASSWORD_MAX = 128;

/** Control characters (NUL above all: PostgreSQL refuses it in text) have no place in a name or an email. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const emailSchema = z
  .string({ error: engineText("validation.emailRequired") })
  .trim()
  .toLowerCase()
  .min(1, engineText("validation.emailRequired"))
  .max(254, engineText("validation.emailTooLong"))
  .refine((value) => !CONTROL_CHARACTERS.test(value), engineText("validation.emailInvalid"))
  .pipe(z.email({ error: engineText("validation.emailInvalid") }));

export const newPasswordSchema = z
  .string({ error: engineText("validation.passwordRequired") })
  .min(PASSWORD_MIN, engineText("validation.passwordTooShort", { min: PASSWORD_MIN }))
  .max(PASSWORD_MAX, engineText("validation.passwordTooLong", { max: PASSWORD_MAX }));

/** For sign-in and "current password": any length up to the maximum, so old passwords still work. */
export const existingPasswordSchema = z
  .string({ error: engineText("validation.passwordRequired") })
  .min(1, engineText("validation.passwordRequired"))
  .max(PASSWORD_MAX, engineText("validation.passwordTooLong", { max: PASSWORD_MAX }));

/** The optional texts of the forms, each with its own messages (a field's name is part of the sentence). */
export type OptionalTextField = "name" | "deviceName";

export const optionalText = (max: number, field: OptionalTextField) =>
  z
    .string({ error: engineText(`validation.${field}NotText`) })
    .trim()
    .max(max, engineText(`validation.${field}TooLong`, { max }))
    .refine((value) => !CONTROL_CHARACTERS.test(value), engineText(`validation.${field}Control`))
    .optional()
    .transform((value) => (value ? value : undefined));

export const registerSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: optionalText(100, "name"),
});
export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
}

export const signInSchema = z.object({
  email: emailSchema,
  password: existingPasswordSchema,
  deviceName: optionalText(100, "deviceName"),
});
export interface SignInInput {
  email: string;
  password: string;
  deviceName?: string;
}

export const changePasswordSchema = z
  .object({
    currentPassword: existingPasswordSchema,
    newPassword: newPasswordSchema,
  })
  .refine((value) => value.currentPassword !== value.newPassword, {
    path: ["newPassword"],
    error: engineText("validation.passwordUnchanged"),
  });
export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/**
 * A one-time link's token as it arrives (the form or the API): any text up to a sane length. Its
 * shape is checked by the engine, which answers `invalid_grant` for anything it did not issue.
 */
const linkTokenSchema = z
  .string({ error: engineText("validation.linkTokenRequired") })
  .min(1, engineText("validation.linkTokenRequired"))
  .max(512, engineText("validation.linkTokenTooLong"));

export const passwordResetRequestSchema = z.object({ email: emailSchema });
export interface PasswordResetRequest {
  email: string;
}

export const passwordResetSchema = z.object({ token: linkTokenSchema, newPassword: newPasswordSchema });
export interface PasswordResetInput {
  token: string;
  newPassword: string;
}

export const verifyEmailSchema = z.object({ token: linkTokenSchema });

/** For irreversible changes: the password may be left out when the sign-in is recent (re-authentication). */
const reauthPasswordSchema = existingPasswordSchema.optional();

export const changeEmailSchema = z.object({
  newEmail: emailSchema,
  password: reauthPasswordSchema,
});
export interface ChangeEmailInput {
  newEmail: string;
  password?: string;
}

export const deleteAccountSchema = z.object({ password: reauthPasswordSchema });
export interface DeleteAccountInput {
  password?: string;
}

export const logoutSchema = z.object({
  scope: z.enum(["local", "others", "global"], { error: engineText("validation.logoutScope") }).default("local"),
});

/** Parses `input` or throws `invalid_request` with per-field messages. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "_";
    (fields[key] ??= []).push(issue.message);
  }
  const first = result.error.issues[0];
  const message = first?.message ?? engineText("validation.invalidRequest");
  const description =
    first && first.path.length > 0
      ? engineText("validation.inField", { field: first.path.map(String).join("."), message })
      : message;
  throw new AuthError("invalid_request", description, { fields });
}
