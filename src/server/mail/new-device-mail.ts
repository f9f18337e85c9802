import { parseIpAddress } from "@/core/ip-address";
import type { NewDeviceAlert } from "@/core/ports";
import { baseUrl, formatWhen } from "./mail-format";
import type { MailMessage } from "./message";

/**
 * The "new sign-in to your account" email: what happened, when, where from, and what to do if it
 * was not the owner. Plain text, no token and no link that signs anyone in: only links to pages
 * that ask for a sign-in. The device label is sanitised upstream (src/core/new-device.ts); the
 * address is shown only when it is a valid IP address, never as the text it was given.
 */
export function newDeviceMail(alert: NewDeviceAlert, appUrl: string): MailMessage {
  const base = baseUrl(appUrl);
  const ip = parseIpAddress(alert.ip);
  const where = ip ? `${alert.device}, IP address ${ip}` : alert.device;
  const text = [
    "Hello,",
    "",
    `Your account ${alert.email} was just signed in to from a device`,
    "it had not been used on before.",
    "",
    `  When:  ${formatWhen(alert.at)}`,
    `  Where: ${where}`,
    "",
    "If this was you, there is nothing to do.",
    "",
    "If it wasn't you, someone else knows your password:",
    "  1. Log that device out:",
    `     ${base}/devices`,
    "  2. Change your password (this signs every other device out):",
    `     ${base}/settings/password`,
    "  3. Check your recent security activity:",
    `     ${base}/settings/activity`,
    "",
    "This message contains no sign-in link: never enter your password",
    "on a page an email led you to without checking its address.",
    "",
  ].join("\n");
  return { to: alert.email, subject: `New sign-in to your account from ${alert.device}`, text };
}
