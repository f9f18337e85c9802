import type { AccountMail } from "@/core/ports";
import type { MailMessage } from "./message";

/** The account emails (password reset, verification, email change, deletion), worded. Links use APP_URL. */
export function accountMail(mail: AccountMail, appUrl: string): MailMessage {
  const base = appUrl.replace(/\/+$/, "");
  switch (mail.kind) {
    case "password_reset_link":
      return {
        to: mail.to,
        subject: "Reset your password",
        text: `Reset your password: ${base}/reset-password?token=${mail.token}\n`,
      };
    case "password_reset_done":
      return { to: mail.to, subject: "Your password was reset", text: "Your password was reset.\n" };
    case "email_verification_link":
      return {
        to: mail.to,
        subject: "Verify your email address",
        text: `Verify your email: ${base}/verify-email?token=${mail.token}\n`,
      };
    case "email_change_link":
      return {
        to: mail.to,
        subject: "Confirm your new email address",
        text: `Confirm: ${base}/verify-email?token=${mail.token}\n`,
      };
    case "email_change_requested":
      return { to: mail.to, subject: "Email change requested", text: `Change to ${mail.newEmail} requested.\n` };
    case "email_changed":
      return { to: mail.to, subject: "Your email address was changed", text: `Now ${mail.newEmail}.\n` };
    case "account_deleted":
      return { to: mail.to, subject: "Your account was deleted", text: "Your account was deleted.\n" };
  }
}
