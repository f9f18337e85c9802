/**
 * A real SMTP server for tests: the app under test is started with `SMTP_URL=<capture.url>` and
 * sends its mail here over SMTP; every message is parsed (mailparser) and kept in memory, and, when
 * `dir` is given, written there as one JSON file per message (for test processes other than the
 * one that started the server, such as Playwright's workers).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CapturedMail {
  /** The envelope's sender (MAIL FROM) and recipients (RCPT TO, lower-cased). */
  from: string;
  to: string[];
  /** The From header as written ("Security <security@app.test>"). */
  fromHeader: string;
  subject: string;
  /** The text body, decoded. */
  text: string;
  /** The message as it came over the wire (headers and encoded body). */
  raw: string;
  receivedAt: number;
}

export interface MailCapture {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  messages: CapturedMail[];
  /** The first message to `to` (matching `subject` when given) after `since` (ms), waited for. */
  waitFor(to: string, options?: MailQuery): Promise<CapturedMail>;
  close(): Promise<void>;
}

export const CAPTURE_MAIL_FROM = "Security <security@app.test>";

export interface MailQuery {
  subject?: RegExp;
  /** Text the body must contain. */
  containing?: string;
  /**
   * Received strictly after this moment (ms), taken before the request that sends the mail: a
   * message received in that very millisecond is one from before (a fast machine answers the
   * previous request and starts the next one within a millisecond).
   */
  since?: number;
  timeoutMs?: number;
}

function matches(mail: CapturedMail, to: string, { subject, containing, since = 0 }: MailQuery): boolean {
  return (
    mail.to.includes(to.toLowerCase()) &&
    mail.receivedAt > since &&
    (!subject || subject.test(mail.subject)) &&
    (containing === undefined || mail.text.includes(containing))
  );
}

async function poll<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no mail ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startMailCapture(options: { dir?: string } = {}): Promise<MailCapture> {
  const messages: CapturedMail[] = [];
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      new Promise<Buffer>((resolve, reject) => {
        stream.on("end", () => resolve(Buffer.concat(chunks)));
        stream.on("error", reject);
      })
        .then(async (raw) => {
          const parsed = await simpleParser(raw);
          const mail: CapturedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            fromHeader: (parsed.headerLines.find((h) => h.key === "from")?.line ?? "").replace(/^From:\s*/i, ""),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            raw: raw.toString("utf8"),
            receivedAt: Date.now(),
          };
          messages.push(mail);
          if (options.dir)
            writeFileSync(path.join(options.dir, `${Date.now()}-${randomUUID()}.json`), JSON.stringify(mail));
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  // A client that goes away mid-connection (an app stopped by its test, with pooled SMTP
  // connections) makes the server emit "error": without a listener, that would be an uncaught
  // exception in the test process. The mail already received is all a test looks at.
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(to, query = {}) {
      return poll(() => messages.find((m) => matches(m, to, query)), `to ${to}`, query.timeoutMs ?? 10_000);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads the messages a capture with `dir` wrote (from another process), waiting for one to `to`. */
export function waitForMailIn(dir: string, to: string, query: MailQuery = {}): Promise<CapturedMail> {
  const read = () =>
    readdirSync(dir)
      .sort()
      .map((file) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CapturedMail)
      .find((m) => matches(m, to, query));
  return poll(read, `to ${to} in ${dir}`, query.timeoutMs ?? 10_000);
}

/** The first link to `<appUrl-ish>/<page>?token=...` in a mail's text, and its token. */
export function linkIn(mail: CapturedMail, page: string): { url: string; token: string } {
  const match = new RegExp(`https?://[^\\s]+/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no /${page} link in the mail "${mail.subject}":\n${mail.text}`);
  return { url: match[0], token: match[1]! };
}
