import { parseIpAddress } from "@/core/ip-address";
import type { NewDeviceAlert } from "@/core/ports";
import { baseUrl, formatWhen, greeting, mailDeviceLabel, mailLocale, mailTranslator } from "./mail-format";
import type { MailMessage } from "./message";

/**
 * The "new sign-in to your account" email: what happened, when, where from, and what to do if it
 * was not the owner. Plain text, no token and no link that signs anyone in: only links to pages
 * that ask for a sign-in. The device label is sanitised upstream (src/core/new-device.ts); the
 * address is shown only when it is a valid IP address, never as the text it was given. Worded in
 * the recipient's language (`alert.locale`).
 */
export function newDeviceMail(alert: NewDeviceAlert, appUrl: string): MailMessage {
  const locale = mailLocale(alert.locale);
  const t = mailTranslator(locale);
  const base = baseUrl(appUrl);
  const ip = parseIpAddress(alert.ip);
  const device = mailDeviceLabel(alert.device, locale);
  const where = ip ? t("newDevice.where", { device, ip }) : device;
  const text = [
    greeting(null, t),
    "",
    t("newDevice.intro", { email: alert.email }),
    "",
    t("when", { when: formatWhen(alert.at, locale) }),
    t("newDevice.whereLine", { where }),
    "",
    t("newDevice.outro", {
      devices: `${base}/devices`,
      password: `${base}/settings/password`,
      activity: `${base}/settings/activity`,
    }),
    "",
  ].join("\n");
  return { to: alert.email, subject: t("newDevice.subject", { device }), text };
}
