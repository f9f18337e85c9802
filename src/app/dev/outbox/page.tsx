import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { formatWhen } from "@/server/mail/mail-format";
import { outboxViewerEnabled } from "@/server/mail/outbox";
import { getServices } from "@/server/services";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("mail.outbox");
  return { title: t("title"), robots: { index: false, follow: false } };
}
export const dynamic = "force-dynamic";

const SHOWN = 50;

/**
 * The mail that would have been sent, had SMTP_URL been set. Every user's mail is here, so this
 * page answers 404 in production unless MAIL_OUTBOX_VIEWER=1. The page is in the reader's
 * language; each mail, in its recipient's.
 */
export default async function OutboxPage() {
  const { env, outbox } = await getServices();
  if (!outboxViewerEnabled(env)) notFound();
  const [mails, t, locale] = await Promise.all([outbox.list(SHOWN), getTranslations("mail.outbox"), getLocale()]);

  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:py-10">
      <h1 className="text-2xl font-semibold tracking-tight">{t("heading")}</h1>
      <p className="mt-1 text-sm text-muted">
        {t.rich("intro", { count: SHOWN, code: (chunks) => <code>{chunks}</code> })}
      </p>
      {mails.length === 0 ? <p className="mt-6 text-sm text-muted">{t("empty")}</p> : null}
      <ol aria-label={t("messages")} className="mt-6 space-y-4">
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
                {t("to")} {mail.recipient} ·{" "}
                <time dateTime={mail.createdAt.toISOString()}>{formatWhen(mail.createdAt, locale)}</time>
              </p>
              <pre className="mt-3 overflow-x-auto text-sm whitespace-pre-wrap text-fg">{mail.body}</pre>
            </article>
          </li>
        ))}
      </ol>
    </main>
  );
}
