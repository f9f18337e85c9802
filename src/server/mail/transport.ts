import type { PrismaClient } from "@/generated/prisma/client";
import type { Logger } from "@/core/ports";
import type { Env } from "../env";
import type { MailTransport } from "./message";
import { outboxTransport } from "./outbox";
import { smtpTransport } from "./smtp";

/** SMTP when SMTP_URL and MAIL_FROM are set, otherwise the outbox table. */
export function createMailTransport(env: Env, prisma: PrismaClient, logger: Logger): MailTransport {
  if (env.SMTP_URL && env.MAIL_FROM) return smtpTransport(env.SMTP_URL, env.MAIL_FROM);
  if (env.NODE_ENV === "production")
    logger.info("mail_to_outbox", { hint: "set SMTP_URL and MAIL_FROM to send security emails" });
  return outboxTransport(prisma);
}
