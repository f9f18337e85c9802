/**
 * The mail the app under test sent, as the capturing SMTP server of e2e/global-setup.ts wrote it
 * (one JSON file per message in E2E_MAIL_DIR), and the links in it.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { linkIn, type CapturedMail } from "../scripts/lib/mail-capture";

function mailDir(): string {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir)
    throw new Error(
      "no E2E_MAIL_DIR: run the specs through playwright.config.ts (its globalSetup starts the mail capture)",
    );
  return dir;
}

/**
 * Waits for the first message to `to`, received at or after `since` (ms), with a link to
 * /`page`?token=...; answers that link (the address to open) and its token. Not by subject: what a
 * mail says is not under test here, the link it carries is.
 */
export async function linkMailedTo(
  to: string,
  page: "reset-password" | "verify-email",
  since = 0,
  timeoutMs = 10_000,
): Promise<{ url: string; token: string; mail: CapturedMail }> {
  const dir = mailDir();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readdirSync(dir)
      .sort()
      .map((file) => JSON.parse(readFileSync(path.join(dir, file), "utf8")) as CapturedMail)
      .find(
        (mail) =>
          mail.to.includes(to.toLowerCase()) && mail.receivedAt >= since && mail.text.includes(`/${page}?token=`),
      );
    if (found) return { ...linkIn(found, page), mail: found };
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with a /${page} link within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
