import type { PrismaClient } from "@/generated/prisma/client";
import type { Env } from "../env";
import type { MailTransport } from "./message";

/** Without SMTP (development), mail is kept in the mail_outbox table, readable at /dev/outbox. */
export function outboxTransport(prisma: PrismaClient): MailTransport {
  return {
    kind: "outbox",
    async send(message) {
      await prisma.mailOutbox.create({ data: { recipient: message.to, subject: message.subject, body: message.text } });
    },
    async close() {},
  };
}

export interface OutboxEntry {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  createdAt: Date;
}

/** The outbox as the /dev/outbox page reads it. */
export interface MailOutbox {
  /** The newest `limit` messages, newest first. */
  list(limit: number): Promise<OutboxEntry[]>;
}

export function mailOutbox(prisma: PrismaClient): MailOutbox {
  return {
    async list(limit) {
      const rows = await prisma.mailOutbox.findMany({ orderBy: { id: "desc" }, take: limit });
      return rows.map((row) => ({ ...row, id: row.id.toString() }));
    },
  };
}

/**
 * The viewer shows every user's mail: on in development, off (404) in production unless
 * MAIL_OUTBOX_VIEWER=1 (a staging server without SMTP, say).
 */
export function outboxViewerEnabled(env: Env): boolean {
  return env.NODE_ENV !== "production" || env.MAIL_OUTBOX_VIEWER;
}
