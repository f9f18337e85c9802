import { describe, expect, it } from "vitest";
import type { AccountMail } from "@/core/ports";
import { accountMail } from "@/server/mail/account-mail";
import { newDeviceMail } from "@/server/mail/new-device-mail";

/** The mail in the recipient's language: Chinese wording, subjects and dates; links and tokens unchanged. */
const TOKEN = "Zm9vYmFyLWJhei1xdXV4LXNlY3JldC10b2tlbi0xMjM";
const NOW = Date.parse("2026-12-06T20:08:00Z");
const AT = new Date(NOW);
const APP = "https://app.example";

describe("account and security mail in Simplified Chinese", () => {
  it("words a verification link in Chinese, with the duration and the date in Chinese", () => {
    const mail = accountMail(
      {
        kind: "email_verification_link",
        to: "ada@example.com",
        name: "Ada",
        token: TOKEN,
        expiresAt: new Date(NOW + 24 * 3600_000),
        locale: "zh-CN",
      },
      APP,
      NOW,
    );
    expect(mail.subject).toBe("验证你的邮箱地址");
    expect(mail.text).toContain("Ada，你好：");
    expect(mail.text).toContain("请打开此链接，确认 ada@example.com 是你的邮箱地址：");
    expect(mail.text).toContain(`  ${APP}/verify-email?token=${TOKEN}\n`);
    expect(mail.text).toContain("此链接在 24 小时内有效（至 2026年12月7日 UTC 20:08），且只能使用一次。");
    expect(mail.text).not.toMatch(/\b(the|link|your)\b/i);
  });

  it("words the reset link, a recovery code used and the new-device alert in Chinese", () => {
    const reset = accountMail(
      {
        kind: "password_reset_link",
        to: "ada@example.com",
        name: null,
        token: TOKEN,
        expiresAt: new Date(NOW + 30 * 60_000),
        locale: "zh-CN",
      },
      APP,
      NOW,
    );
    expect(reset.subject).toBe("重置你的密码");
    expect(reset.text.startsWith("你好：\n\n有人请求重置你的账号 ada@example.com 的密码。")).toBe(true);
    expect(reset.text).toContain("30 分钟内有效");

    const used: AccountMail = {
      kind: "sign_in_methods_changed",
      to: "ada@example.com",
      name: "Ada",
      change: "recovery_code_used",
      detail: null,
      remaining: 3,
      at: AT,
      ip: "203.0.113.7",
      locale: "zh-CN",
    };
    const usedMail = accountMail(used, APP, NOW);
    expect(usedMail.subject).toBe("有人使用恢复码登录");
    expect(usedMail.text).toContain("还剩 3 个未使用的恢复码。");
    expect(usedMail.text).toContain("  时间：2026年12月6日 UTC 20:08\n  来源：IP 地址 203.0.113.7");

    const alert = newDeviceMail(
      {
        userId: "u",
        email: "ada@example.com",
        name: "Ada",
        device: "Firefox on Linux",
        ip: null,
        at: AT,
        locale: "zh-CN",
      },
      APP,
    );
    expect(alert.subject).toBe("你的账号有新设备登录：Linux 上的 Firefox");
    expect(alert.text).not.toContain("Firefox on Linux");
    expect(alert.text).toContain("此邮件不包含任何登录链接");
  });

  it("words a mail in English when the recipient's language is unknown or not one of ours", () => {
    for (const locale of [undefined, null, "fr"]) {
      const mail = accountMail({ kind: "account_deleted", to: "ada@example.com", name: "Ada", at: AT, locale }, APP);
      expect(mail.subject).toBe("Your account was deleted");
      expect(mail.text).toContain("  When:  Dec 6, 2026, 8:08 PM UTC");
    }
  });
});
