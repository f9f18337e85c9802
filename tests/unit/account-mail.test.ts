import { describe, expect, it } from "vitest";
import type { AccountMail } from "@/core/ports";
import { accountMail } from "@/server/mail/account-mail";

/** A link token as the engine issues them: 32 random bytes, base64url (43 characters). */
const TOKEN = "Zm9vYmFyLWJhei1xdXV4LXNlY3JldC10b2tlbi0xMjM";
const NOW = Date.parse("2026-12-06T20:08:00Z");
const AT = new Date(NOW);
const in30Minutes = new Date(NOW + 30 * 60_000);
const in24Hours = new Date(NOW + 24 * 3600_000);

const mails: Record<AccountMail["kind"], AccountMail> = {
  password_reset_link: {
    kind: "password_reset_link",
    to: "ada@example.com",
    name: "Ada",
    token: TOKEN,
    expiresAt: in30Minutes,
  },
  password_reset_done: { kind: "password_reset_done", to: "ada@example.com", name: "Ada", at: AT, ip: "203.0.113.7" },
  email_verification_link: {
    kind: "email_verification_link",
    to: "ada@example.com",
    name: null,
    token: TOKEN,
    expiresAt: in24Hours,
  },
  email_change_link: {
    kind: "email_change_link",
    to: "ada@new.example",
    name: "Ada",
    token: TOKEN,
    expiresAt: in24Hours,
    oldEmail: "ada@example.com",
  },
  email_change_requested: {
    kind: "email_change_requested",
    to: "ada@example.com",
    name: "Ada",
    newEmail: "ada@new.example",
    at: AT,
  },
  email_changed: { kind: "email_changed", to: "ada@example.com", name: "Ada", newEmail: "ada@new.example", at: AT },
  account_deleted: { kind: "account_deleted", to: "ada@example.com", name: null, at: AT },
  sign_in_methods_changed: {
    kind: "sign_in_methods_changed",
    to: "ada@example.com",
    name: "Ada",
    change: "passkey_added",
    detail: "Work laptop",
    at: AT,
    ip: "203.0.113.7",
  },
};

const LINKS: Partial<Record<AccountMail["kind"], string>> = {
  password_reset_link: "/reset-password",
  email_verification_link: "/verify-email",
  email_change_link: "/verify-email",
};

const SUBJECTS: Record<AccountMail["kind"], RegExp> = {
  password_reset_link: /^Reset your password$/,
  password_reset_done: /^Your password was reset$/,
  email_verification_link: /^Verify your email address$/,
  email_change_link: /^Confirm your new email address$/,
  email_change_requested: /change of your email address was requested/,
  email_changed: /^Your email address was changed$/,
  account_deleted: /^Your account was deleted$/,
  sign_in_methods_changed: /^A passkey was added to your account$/,
};

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("account emails", () => {
  for (const [kind, mail] of Object.entries(mails) as [AccountMail["kind"], AccountMail][]) {
    it(`${kind}: its recipient, subject and greeting`, () => {
      const message = accountMail(mail, "https://app.example", NOW);
      expect(message.to).toBe(mail.to);
      expect(message.subject).toMatch(SUBJECTS[kind]);
      expect(message.text.split("\n")[0]).toBe(mail.name ? `Hello ${mail.name},` : "Hello,");
      expect(message.text).not.toMatch(/undefined|null|NaN|Invalid Date/);
    });
  }

  for (const [kind, page] of Object.entries(LINKS) as [AccountMail["kind"], string][]) {
    it(`${kind}: one link to ${page} on APP_URL, with or without a trailing slash; the token only there`, () => {
      const mail = mails[kind];
      for (const appUrl of ["https://app.example/base", "https://app.example/base/", "https://app.example/base//"]) {
        const message = accountMail(mail, appUrl, NOW);
        const link = `https://app.example/base${page}?token=${TOKEN}`;
        expect(message.text.split("\n").map((line) => line.trim())).toContain(link);
        expect(occurrences(message.text, TOKEN)).toBe(1);
        expect(occurrences(message.text, link)).toBe(1);
        expect(message.subject).not.toContain(TOKEN);
        expect(message.text).not.toContain("//reset-password");
        expect(message.text).not.toContain("//verify-email");
      }
    });
  }

  it("states how long a link works and until when", () => {
    const reset = accountMail(mails.password_reset_link, "https://app.example", NOW).text;
    expect(reset).toContain("works for 30 minutes, until Dec 6, 2026, 8:38 PM UTC");
    const verify = accountMail(mails.email_verification_link, "https://app.example", NOW).text;
    expect(verify).toContain("works for 24 hours, until Dec 7, 2026, 8:08 PM UTC");
    // Worded a few seconds after the link was issued: still the configured lifetime.
    expect(accountMail(mails.password_reset_link, "https://app.example", NOW + 3_000).text).toContain("30 minutes");
  });

  it("the email change notices go to the old address, name the new one and say how to secure the account", () => {
    const requested = accountMail(mails.email_change_requested, "https://app.example/", NOW);
    expect(requested.to).toBe("ada@example.com");
    expect(requested.text).toContain("ada@new.example");
    expect(requested.text).toContain("https://app.example/forgot-password");
    expect(requested.text).toMatch(/Nothing changes unless the link/);

    const changed = accountMail(mails.email_changed, "https://app.example/", NOW);
    expect(changed.to).toBe("ada@example.com");
    expect(changed.text).toContain("is now ada@new.example");
    expect(changed.text).toContain("https://app.example/login");

    const link = accountMail(mails.email_change_link, "https://app.example", NOW);
    expect(link.to).toBe("ada@new.example");
    expect(link.text).toContain("from ada@example.com to ada@new.example");
  });

  it("notices carry no token and no link that signs anyone in", () => {
    for (const kind of ["password_reset_done", "email_change_requested", "email_changed", "account_deleted"] as const) {
      const text = accountMail(mails[kind], "https://app.example", NOW).text;
      expect(text, kind).not.toMatch(/token=/);
      for (const url of text.match(/https?:\/\/\S+/g) ?? [])
        expect(url, kind).toMatch(/^https:\/\/app\.example\/(forgot-password|login|devices|settings\/activity)$/);
    }
  });

  it("the reset notice says when, from which valid address, and that every device was signed out", () => {
    const done = accountMail(mails.password_reset_done, "https://app.example", NOW).text;
    expect(done).toContain("When:  Dec 6, 2026, 8:08 PM UTC");
    expect(done).toContain("IP address 203.0.113.7");
    expect(done).toMatch(/Every device that was signed in has been signed out/);
    const forged = { ...mails.password_reset_done, ip: "https://evil.example/reset" } as AccountMail;
    const text = accountMail(forged, "https://app.example", NOW).text;
    expect(text).not.toContain("evil.example");
    expect(text).not.toContain("IP address");
  });
});
