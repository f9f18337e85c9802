import type { SecurityMailer } from "@/core/ports";
import { accountMail } from "./account-mail";
import { newDeviceMail } from "./new-device-mail";
import type { MailTransport } from "./message";

/** The engine's SecurityMailer: words each message and hands it to the transport. */
export function createSecurityMailer(transport: MailTransport, appUrl: string): SecurityMailer {
  return {
    async newDeviceSignIn(alert) {
      await transport.send(newDeviceMail(alert, appUrl));
    },
    async send(mail) {
      await transport.send(accountMail(mail, appUrl));
    },
  };
}
