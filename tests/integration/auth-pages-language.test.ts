/**
 * The signed-out pages speak the reader's language: with `Accept-Language: zh-CN` each is served
 * in Simplified Chinese (`<html lang>`, title, heading, form texts) with none of its English
 * sentences left over; a choice remembered in the NEXT_LOCALE cookie wins over the header.
 * Plain requests to one app: the texts are in the server-rendered HTML.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

let testApp: TestApp;

beforeAll(async () => {
  testApp = await startTestApp("auth-lang");
});

afterAll(async () => {
  await testApp?.stop();
});

const ZH = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" };

async function page(pathname: string, headers: Record<string, string> = ZH): Promise<{ status: number; html: string }> {
  const res = await fetch(`${testApp.app.url}${pathname}`, { headers, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** The English sentences these pages show; none may appear on a page served in Chinese. */
const ENGLISH = [
  "Sign in",
  "Welcome back",
  "Forgot password?",
  "Create an account",
  "Create account",
  "Email",
  "Password",
  "passkey",
  "Send reset link",
  "Choose a new password",
  "Reset password",
  "Back to sign in",
  "Verify your email address",
  "Verifying your email address",
  "Page not found",
  "Go to the start page",
  "Revocable sessions",
  "Optional",
  "At least",
];

/**
 * Whole words outside scripts: the payload for the browser names catalogue keys (`newPassword`,
 * `verifyEmail`...), and a form's markup its server action (`resetPasswordAction`).
 */
function englishIn(html: string): string[] {
  const shown = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "");
  return ENGLISH.filter((text) => new RegExp(`(?<![A-Za-z])${text.replace(/[?.]/g, "\\$&")}(?![A-Za-z])`).test(shown));
}

const PAGES: Array<{ path: string; status: number; title: string; texts: string[] }> = [
  {
    path: "/login",
    status: 200,
    title: "登录",
    texts: ["欢迎回来。", "邮箱", "密码", "使用通行密钥登录", "忘记密码？", "创建账号"],
  },
  {
    path: "/register",
    status: 200,
    title: "创建账号",
    texts: ["一个账号，掌控你的所有设备。", "选填", "至少 8 个字符。", "已有账号？"],
  },
  { path: "/forgot-password", status: 200, title: "忘记密码", texts: ["忘记密码了？", "发送重置链接", "想起来了？"] },
  { path: "/reset-password?token=x", status: 200, title: "设置新密码", texts: ["新密码", "重置密码", "返回登录"] },
  {
    path: "/verify-email?token=x",
    status: 200,
    title: "验证邮箱",
    texts: ["验证你的邮箱地址", "正在验证你的邮箱地址…"],
  },
  { path: "/no-such-page", status: 404, title: "页面不存在", texts: ["你要访问的页面不存在", "前往首页"] },
];

describe("signed-out pages with Accept-Language: zh-CN", () => {
  it.each(PAGES)("$path is in Simplified Chinese", async ({ path, status, title, texts }) => {
    const { status: got, html } = await page(path);
    expect(got).toBe(status);
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain(`<title>${title} · 可撤销会话</title>`);
    for (const text of texts) expect(html).toContain(text);
    expect(englishIn(html)).toEqual([]);
  });

  it("says why the browser was signed out, in Chinese", async () => {
    const { html } = await page("/login?reason=expired");
    expect(html).toContain("你的会话已过期，已退出登录。请重新登录。");
    expect(html).not.toContain("Your session expired");
  });
});

describe("a remembered choice of English", () => {
  it.each([
    { path: "/login", status: 200, title: "Sign in", text: "Sign in with a passkey" },
    { path: "/register", status: 200, title: "Create account", text: "Already have an account?" },
    { path: "/no-such-page", status: 404, title: "Page not found", text: "Go to the start page" },
  ])("wins over a Chinese Accept-Language on $path", async ({ path, status, title, text }) => {
    const { status: got, html } = await page(path, { ...ZH, cookie: "NEXT_LOCALE=en" });
    expect(got).toBe(status);
    expect(html).toContain('<html lang="en"');
    expect(html).toContain(`<title>${title} · Revocable sessions</title>`);
    expect(html).toContain(text);
    expect(englishIn(html), "the check for English leftovers finds English").not.toEqual([]);
  });
});
