import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import type { MailTransport } from "./message";

/**
 * nodemailer over SMTP (SMTP_URL: smtp://, or smtps:// for TLS from the start; STARTTLS is used
 * when the server offers it). Short timeouts: mail is sent in the background and a dead server
 * must not pile up connections.
 */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(
    new SMTPTransport({
      url,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
      disableFileAccess: true,
      disableUrlAccess: true,
    }),
  );
  return {
    kind: "smtp",
    async send(message) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    async close() {
      transporter.close();
    },
  };
}
