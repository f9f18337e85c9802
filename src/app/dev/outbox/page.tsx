import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTimeFormat } from "@/components/relative-time";
import { outboxViewerEnabled } from "@/server/mail/outbox";
import { getServices } from "@/server/services";

export const metadata: Metadata = { title: "Mail outbox (development)", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

const SHOWN = 50;

/**
 * The mail that would have been sent, had SMTP_URL been set. Every user's mail is here, so this
 * page answers 404 in production unless MAIL_OUTBOX_VIEWER=1.
 */
export default async function OutboxPage() {
  const { env, outbox } = await getServices();
  if (!outboxViewerEnabled(env)) notFound();
  const mails = await outbox.list(SHOWN);
  const time = await getTimeFormat();

  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:py-10">
      <h1 className="text-2xl font-semibold tracking-tight">Mail outbox</h1>
      <p className="mt-1 text-sm text-muted">
        No SMTP server is configured, so security emails are kept here (newest first, the last {SHOWN}). Set{" "}
        <code>SMTP_URL</code> and <code>MAIL_FROM</code> to send them.
      </p>
      {mails.length === 0 ? <p className="mt-6 text-sm text-muted">The outbox is empty.</p> : null}
      <ol aria-label="Messages" className="mt-6 space-y-4">
        {mails.map((mail) => (
          <li key={mail.id}>
            <article
              aria-labelledby={`mail-${mail.id}`}
              className="rounded-xl border border-line bg-surface p-4 shadow-sm"
            >
              <h2 id={`mail-${mail.id}`} className="font-medium break-words">
                {mail.subject}
              </h2>
              <p className="mt-1 text-sm break-words text-muted">
                To {mail.recipient} ·{" "}
                <time dateTime={mail.createdAt.toISOString()}>{time.dateTime(mail.createdAt)}</time>
              </p>
              <pre className="mt-3 overflow-x-auto text-sm whitespace-pre-wrap text-fg">{mail.body}</pre>
            </article>
          </li>
        ))}
      </ol>
    </main>
  );
}
