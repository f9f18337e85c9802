/**
 * The mail the app under test sent, as the capturing SMTP server of e2e/global-setup.ts wrote it
 * (one JSON file per message in E2E_MAIL_DIR), and the links in it.
 */
import { linkIn, waitForMailIn, type CapturedMail } from "../scripts/lib/mail-capture";

function mailDir(): string {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir)
    throw new Error(
      "no E2E_MAIL_DIR: run the specs through playwright.config.ts (its globalSetup starts the mail capture)",
    );
  return dir;
}

/**
 * Waits for the first message to `to`, received after `since` (ms), with a link to
 * /`page`?token=...; answers that link (the address to open) and its token. Not by subject: what a
 * mail says is not under test here, the link it carries is.
 */
export async function linkMailedTo(
  to: string,
  page: "reset-password" | "verify-email",
  since = 0,
  timeoutMs = 10_000,
): Promise<{ url: string; token: string; mail: CapturedMail }> {
  const mail = await waitForMailIn(mailDir(), to, { containing: `/${page}?token=`, since, timeoutMs });
  return { ...linkIn(mail, page), mail };
}
