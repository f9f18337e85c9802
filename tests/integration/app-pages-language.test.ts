/**
 * The signed-in pages in the reader's language, over plain HTTP against the real app: Simplified
 * Chinese for a browser that prefers it (Accept-Language), English when the switcher's cookie says
 * so even then; `<html lang>`, the title, the heading and the page's own words follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, CHROME_MAC, uniqueEmail } from "../../scripts/lib/api-client";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";

const PASSWORD = "correct horse battery";

interface Page {
  path: string;
  title: { en: string; "zh-CN": string };
  /** Words the page must show in each language (the header's and the banner's on every page). */
  says: { en: string[]; "zh-CN": string[] };
}

const PAGES: Page[] = [
  {
    path: "/devices",
    title: { en: "Devices", "zh-CN": "设备" },
    says: {
      en: ["This device", "Chrome on Mac OS 10.15.7", "Last active <time", ">just now</time>", "Log out everywhere"],
      "zh-CN": ["本设备", "Mac OS 10.15.7 上的 Chrome", "最近活动 <time", ">刚刚</time>", "退出所有设备"],
    },
  },
  {
    path: "/settings/password",
    title: { en: "Change password", "zh-CN": "修改密码" },
    says: { en: ["Current password", "New password"], "zh-CN": ["当前密码", "新密码"] },
  },
  {
    path: "/settings/security",
    title: { en: "Security", "zh-CN": "安全" },
    says: {
      en: ["Two-factor authentication", "Passkeys", "Add a passkey"],
      "zh-CN": ["两步验证", "通行密钥", "添加通行密钥"],
    },
  },
  {
    path: "/settings/activity",
    title: { en: "Security activity", "zh-CN": "安全活动" },
    says: {
      en: ["Account created", "Chrome on macOS (this device)", ">just now</time>"],
      "zh-CN": ["账号已创建", "macOS 上的 Chrome（本设备）", ">刚刚</time>"],
    },
  },
  {
    path: "/settings/account",
    title: { en: "Account", "zh-CN": "账号" },
    says: { en: ["Change email", "Delete account"], "zh-CN": ["更改邮箱", "删除账号"] },
  },
];

const SHELL = {
  en: { lang: "en", app: "Revocable sessions", words: ["Skip to content", "Sign out", "is not verified yet"] },
  "zh-CN": { lang: "zh-CN", app: "可撤销会话", words: ["跳到主要内容", "退出登录", "尚未验证"] },
} as const;

let test: TestApp;
let cookie: string;

beforeAll(async () => {
  test = await startTestApp("applang");
  const email = uniqueEmail("lang");
  expect((await new Api(test.app.url).register(email, PASSWORD)).status).toBe(201);
  const browser = await browserSignIn(test.app.url, email, PASSWORD, { "user-agent": CHROME_MAC });
  cookie = cookieHeader(browser.cookies);
});

afterAll(async () => {
  await test?.stop();
});

async function html(path: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${test.app.url}${path}`, {
    headers: { "user-agent": CHROME_MAC, ...headers },
    redirect: "manual",
  });
  expect(res.status, path).toBe(200);
  return (await res.text()).replaceAll("<!-- -->", "");
}

describe("the signed-in pages", () => {
  for (const [locale, headers] of [
    ["zh-CN", () => ({ cookie, "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" })],
    // The remembered choice wins over the browser's preference.
    ["en", () => ({ cookie: `${cookie}; NEXT_LOCALE=en`, "accept-language": "zh-CN" })],
  ] as const) {
    it(`speak ${locale}`, async () => {
      const shell = SHELL[locale];
      const pages = await Promise.all(PAGES.map((page) => html(page.path, headers())));
      PAGES.forEach((page, index) => {
        const text = pages[index]!;
        const title = page.title[locale];
        expect(text, page.path).toContain(`<html lang="${shell.lang}"`);
        expect(text, page.path).toContain(`<title>${title} · ${shell.app}</title>`);
        expect(text, page.path).toMatch(new RegExp(`<h1[^>]*>${title}</h1>`));
        for (const words of [...shell.words, ...page.says[locale]]) expect(text, page.path).toContain(words);
      });
    });
  }
});
