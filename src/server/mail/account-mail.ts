import { parseIpAddress } from "@/core/ip-address";
import type { AccountMail } from "@/core/ports";
import {
  baseUrl,
  formatDuration,
  formatWhen,
  greeting,
  mailLocale,
  mailTranslator,
  type MailTranslator,
} from "./mail-format";
import type { MailMessage } from "./message";

/**
 * The account emails (password reset, verification, email change, deletion), worded: plain text,
 * what happened, what to do if it was not the owner. A link's token appears in that link and
 * nowhere else (no subject, no other line); links are built on APP_URL. Notices carry no token and
 * only links to pages that ask for a sign-in or an email address. `now` (when the mail is worded,
 * a moment after its link was issued) turns a link's `expiresAt` into "works for 30 minutes".
 * Worded in the recipient's language (`mail.locale`; English when unknown), from the `mail`
 * namespace of the catalogues: one key per paragraph, lines broken as they are sent.
 */
export function accountMail(mail: AccountMail, appUrl: string, now: number = Date.now()): MailMessage {
  const locale = mailLocale(mail.locale);
  const t = mailTranslator(locale);
  const base = baseUrl(appUrl);
  const lines = (...text: string[]) => [greeting(mail.name, t), "", ...text, ""].join("\n");
  const when = (at: Date) => t("when", { when: formatWhen(at, locale) });
  const from = (ip: string | null) => (ip ? [t("from", { ip })] : []);
  const validity = (expiresAt: Date) =>
    t("validity", { duration: formatDuration(expiresAt, now, t), until: formatWhen(expiresAt, locale) });
  const secure = t("secure", { forgotPassword: `${base}/forgot-password`, activity: `${base}/settings/activity` });
  const link = (path: string, token: string) => ["", `  ${base}${path}?token=${token}`, ""];

  switch (mail.kind) {
    case "password_reset_link":
      return {
        to: mail.to,
        subject: t("passwordResetLink.subject"),
        text: lines(
          t("passwordResetLink.intro", { email: mail.to }),
          ...link("/reset-password", mail.token),
          validity(mail.expiresAt),
          t("passwordResetLink.outro"),
        ),
      };
    case "password_reset_done":
      return {
        to: mail.to,
        subject: t("passwordResetDone.subject"),
        text: lines(
          t("passwordResetDone.intro", { email: mail.to }),
          "",
          when(mail.at),
          ...from(parseIpAddress(mail.ip)),
          "",
          t("passwordResetDone.outro", { forgotPassword: `${base}/forgot-password` }),
        ),
      };
    case "email_verification_link":
      return {
        to: mail.to,
        subject: t("emailVerificationLink.subject"),
        text: lines(
          t("emailVerificationLink.intro", { email: mail.to }),
          ...link("/verify-email", mail.token),
          validity(mail.expiresAt),
          t("emailVerificationLink.outro"),
        ),
      };
    case "email_change_link":
      return {
        to: mail.to,
        subject: t("emailChangeLink.subject"),
        text: lines(
          t("emailChangeLink.intro", { email: mail.to, oldEmail: mail.oldEmail }),
          ...link("/verify-email", mail.token),
          validity(mail.expiresAt),
          t("emailChangeLink.outro", { oldEmail: mail.oldEmail }),
        ),
      };
    case "email_change_requested":
      return {
        to: mail.to,
        subject: t("emailChangeRequested.subject"),
        text: lines(
          t("emailChangeRequested.intro", { email: mail.to, newEmail: mail.newEmail }),
          "",
          when(mail.at),
          "",
          t("emailChangeRequested.outro", { newEmail: mail.newEmail }),
          "",
          secure,
        ),
      };
    case "email_changed":
      return {
        to: mail.to,
        subject: t("emailChanged.subject"),
        text: lines(
          t("emailChanged.intro", { email: mail.to, newEmail: mail.newEmail }),
          "",
          when(mail.at),
          "",
          t("emailChanged.outro", { newEmail: mail.newEmail, login: `${base}/login`, devices: `${base}/devices` }),
        ),
      };
    case "account_deleted":
      return {
        to: mail.to,
        subject: t("accountDeleted.subject"),
        text: lines(t("accountDeleted.intro", { email: mail.to }), "", when(mail.at), "", t("accountDeleted.outro")),
      };
    case "sign_in_methods_changed": {
      const { subject, what } = signInMethodChange(mail, t);
      return {
        to: mail.to,
        subject,
        text: lines(
          what,
          "",
          when(mail.at),
          ...from(parseIpAddress(mail.ip)),
          "",
          t("nothingToDo"),
          "",
          secure,
          t("signInMethodsChanged.review", { security: `${base}/settings/security` }),
        ),
      };
    }
  }
}

const CHANGE_KEYS: Record<Extract<AccountMail, { kind: "sign_in_methods_changed" }>["change"], string> = {
  two_factor_enabled: "twoFactorEnabled",
  two_factor_disabled: "twoFactorDisabled",
  recovery_code_used: "recoveryCodeUsed",
  recovery_codes_regenerated: "recoveryCodesRegenerated",
  passkey_added: "passkeyAdded",
  passkey_removed: "passkeyRemoved",
  identity_linked: "identityLinked",
  identity_unlinked: "identityUnlinked",
};

/** The subject and first sentence of a "sign_in_methods_changed" mail. */
function signInMethodChange(
  mail: Extract<AccountMail, { kind: "sign_in_methods_changed" }>,
  t: MailTranslator,
): { subject: string; what: string } {
  const key = `signInMethodsChanged.${CHANGE_KEYS[mail.change]}`;
  const left = mail.remaining ?? 0;
  const values = { email: mail.to, detail: mail.detail ?? "", count: left, n: String(left) };
  return { subject: t(`${key}.subject`, values), what: t(`${key}.what`, values) };
}
