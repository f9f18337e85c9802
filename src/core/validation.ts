import { z } from "zod";
import { AuthError } from "./errors";

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
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .min(1, "Email is required.")
  .max(254, "Email is too long.")
  .refine((value) => !CONTROL_CHARACTERS.test(value), "Enter a valid email address.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const newPasswordSchema = z
  .string({ error: "Password is required." })
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`);

/** For sign-in and "current password": any length up to the maximum, so old passwords still work. */
export const existingPasswordSchema = z
  .string({ error: "Password is required." })
  .min(1, "Password is required.")
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters.`);

export const optionalText = (max: number, label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), `${label} must not contain control characters.`)
    .optional()
    .transform((value) => (value ? value : undefined));

export const registerSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: optionalText(100, "Name"),
});
export interface RegisterInput {
  email: string;
  password: string;
  name?: string;
}

export const signInSchema = z.object({
  email: emailSchema,
  password: existingPasswordSchema,
  deviceName: optionalText(100, "Device name"),
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
    error: "The new password must differ from the current one.",
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
  .string({ error: "The link's token is required." })
  .min(1, "The link's token is required.")
  .max(512, "The link's token is too long.");

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
  scope: z
    .enum(["local", "others", "global"], { error: 'scope must be "local", "others" or "global".' })
    .default("local"),
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
  const where = first && first.path.length > 0 ? `${first.path.map(String).join(".")}: ` : "";
  throw new AuthError("invalid_request", `${where}${first?.message ?? "Invalid request."}`, { fields });
}
