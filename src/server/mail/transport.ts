import type { PrismaClient } from "@/generated/prisma/client";
import type { Logger } from "@/core/ports";
import type { Env } from "../env";
import type { MailMessage } from "./new-device-mail";
import { outboxTransport } from "./outbox";
import { smtpTransport } from "./smtp";

/** Where mail goes: an SMTP server, or (none configured) the outbox table. */
export interface MailTransport {
  readonly kind: "smtp" | "outbox";
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export function createMailTransport(env: Env, prisma: PrismaClient, logger: Logger): MailTransport {
  if (env.SMTP_URL && env.MAIL_FROM) return smtpTransport(env.SMTP_URL, env.MAIL_FROM);
  if (env.NODE_ENV === "production")
    logger.info("mail_to_outbox", { hint: "set SMTP_URL and MAIL_FROM to send security emails" });
  return outboxTransport(prisma);
}
