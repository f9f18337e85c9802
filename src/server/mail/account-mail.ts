import { parseIpAddress } from "@/core/ip-address";
import type { AccountMail } from "@/core/ports";
import { baseUrl, formatDuration, formatWhen, greeting } from "./mail-format";
import type { MailMessage } from "./message";

/**
 * The account emails (password reset, verification, email change, deletion), worded: plain text,
 * what happened, what to do if it was not the owner. A link's token appears in that link and
 * nowhere else (no subject, no other line); links are built on APP_URL. Notices carry no token and
 * only links to pages that ask for a sign-in or an email address. `now` (when the mail is worded,
 * a moment after its link was issued) turns a link's `expiresAt` into "works for 30 minutes".
 */
export function accountMail(mail: AccountMail, appUrl: string, now: number = Date.now()): MailMessage {
  const base = baseUrl(appUrl);
  const lines = (...text: string[]) => [greeting(mail.name), "", ...text, ""].join("\n");
  const validity = (expiresAt: Date) =>
    `The link works for ${formatDuration(expiresAt, now)}, until ${formatWhen(expiresAt)}, and only once.`;
  const secure = [
    "If it wasn't you, someone else knows your password. Secure your account:",
    "  1. Reset your password (this signs every device out):",
    `     ${base}/forgot-password`,
    "  2. Check your recent security activity:",
    `     ${base}/settings/activity`,
  ];

  switch (mail.kind) {
    case "password_reset_link":
      return {
        to: mail.to,
        subject: "Reset your password",
        text: lines(
          `Someone asked to reset the password of your account ${mail.to}.`,
          "To choose a new password, open this link:",
          "",
          `  ${base}/reset-password?token=${mail.token}`,
          "",
          validity(mail.expiresAt),
          "Setting a new password signs your account out on every device.",
          "",
          "If you did not ask for this, ignore this email: your password stays as it is,",
          "and nobody can use this link without access to your mailbox.",
        ),
      };
    case "password_reset_done": {
      const ip = parseIpAddress(mail.ip);
      return {
        to: mail.to,
        subject: "Your password was reset",
        text: lines(
          `The password of your account ${mail.to} was reset with a link sent to this address.`,
          "",
          `  When:  ${formatWhen(mail.at)}`,
          ...(ip ? [`  From:  IP address ${ip}`] : []),
          "",
          "Every device that was signed in has been signed out.",
          "",
          "If this was you, there is nothing to do.",
          "",
          "If it wasn't you, someone can read your email: secure your mailbox first,",
          "then reset your password again:",
          `  ${base}/forgot-password`,
        ),
      };
    }
    case "email_verification_link":
      return {
        to: mail.to,
        subject: "Verify your email address",
        text: lines(
          `Please confirm that ${mail.to} is your email address by opening this link:`,
          "",
          `  ${base}/verify-email?token=${mail.token}`,
          "",
          validity(mail.expiresAt),
          "A verified address is where we send security alerts and password reset links.",
          "",
          "If you did not create an account, ignore this email: nothing happens",
          "unless the link is opened.",
        ),
      };
    case "email_change_link":
      return {
        to: mail.to,
        subject: "Confirm your new email address",
        text: lines(
          `You asked to change the email address of your account from ${mail.oldEmail} to ${mail.to}.`,
          "To confirm, open this link:",
          "",
          `  ${base}/verify-email?token=${mail.token}`,
          "",
          validity(mail.expiresAt),
          `Until then, the account keeps using ${mail.oldEmail}.`,
          "",
          "If you did not ask for this, ignore this email: nothing changes",
          "unless the link is opened.",
        ),
      };
    case "email_change_requested":
      return {
        to: mail.to,
        subject: "A change of your email address was requested",
        text: lines(
          `Someone signed in to your account ${mail.to} asked to change its email address to`,
          `${mail.newEmail}.`,
          "",
          `  When:  ${formatWhen(mail.at)}`,
          "",
          `Nothing changes unless the link we sent to ${mail.newEmail} is opened.`,
          "",
          "If this was you, there is nothing to do here.",
          "",
          ...secure,
        ),
      };
    case "email_changed":
      return {
        to: mail.to,
        subject: "Your email address was changed",
        text: lines(
          `The email address of your account is now ${mail.newEmail} (it was ${mail.to}).`,
          "",
          `  When:  ${formatWhen(mail.at)}`,
          "",
          "Sign in with the new address from now on; this address will get no more",
          "mail about the account.",
          "",
          "If this was you, there is nothing to do.",
          "",
          "If it wasn't you, someone else controls your account, and a password reset now",
          `sends its link to ${mail.newEmail}, not here. While your password still works:`,
          "  1. Sign in, change the email address back and change your password:",
          `     ${base}/login`,
          "  2. Log the other devices out:",
          `     ${base}/devices`,
        ),
      };
    case "account_deleted":
      return {
        to: mail.to,
        subject: "Your account was deleted",
        text: lines(
          `Your account ${mail.to} was deleted, with its sessions and its security activity.`,
          "",
          `  When:  ${formatWhen(mail.at)}`,
          "",
          "Every device that was signed in has been signed out. You can register again",
          "with this address at any time; the new account will start empty.",
          "",
          "If it wasn't you, someone else knew your password: change it wherever you use",
          "the same one.",
        ),
      };
    case "sign_in_methods_changed": {
      const ip = parseIpAddress(mail.ip);
      const { subject, what } = signInMethodChange(mail);
      return {
        to: mail.to,
        subject,
        text: lines(
          what,
          "",
          `  When:  ${formatWhen(mail.at)}`,
          ...(ip ? [`  From:  IP address ${ip}`] : []),
          "",
          "If this was you, there is nothing to do.",
          "",
          ...secure,
          "  3. Review how your account can be signed in to:",
          `     ${base}/settings/security`,
        ),
      };
    }
  }
}

/** The subject and first sentence of a "sign_in_methods_changed" mail. */
function signInMethodChange(mail: Extract<AccountMail, { kind: "sign_in_methods_changed" }>): {
  subject: string;
  what: string;
} {
  const detail = mail.detail ?? "";
  switch (mail.change) {
    case "two_factor_enabled":
      return {
        subject: "Two-factor authentication was turned on",
        what: `Two-factor authentication is now on for your account ${mail.to}: signing in with the password also needs a code from the authenticator app.`,
      };
    case "two_factor_disabled":
      return {
        subject: "Two-factor authentication was turned off",
        what: `Two-factor authentication was turned off for your account ${mail.to}: the password alone now signs in.`,
      };
    case "recovery_code_used": {
      const left = mail.remaining ?? 0;
      return {
        subject: "A recovery code was used to sign in",
        what: `A recovery code was used to sign in to your account ${mail.to}. ${left === 1 ? "1 unused code is" : `${left} unused codes are`} left.`,
      };
    }
    case "recovery_codes_regenerated":
      return {
        subject: "New recovery codes were made",
        what: `New recovery codes were made for your account ${mail.to}; the earlier ones no longer work.`,
      };
    case "passkey_added":
      return {
        subject: "A passkey was added to your account",
        what: `A passkey named "${detail}" was added to your account ${mail.to}: it can sign in without the password.`,
      };
    case "passkey_removed":
      return {
        subject: "A passkey was removed from your account",
        what: `The passkey named "${detail}" was removed from your account ${mail.to}.`,
      };
    case "identity_linked":
      return {
        subject: `${detail} was connected to your account`,
        what: `Your ${detail} account was connected to your account ${mail.to}: it can sign in without the password.`,
      };
    case "identity_unlinked":
      return {
        subject: `${detail} was disconnected from your account`,
        what: `Your ${detail} account was disconnected from your account ${mail.to}: it no longer signs in.`,
      };
  }
}
