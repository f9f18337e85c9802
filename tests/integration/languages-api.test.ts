/**
 * The app in the reader's language over HTTP: the API's error descriptions and per-field messages
 * follow Accept-Language (codes stay English), a server action's failure follows the switcher's
 * NEXT_LOCALE cookie, and the mail follows the language of the account: the one it registered in,
 * then the one chosen with the header's switcher while signed in. One app, its mail captured.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, uniqueEmail } from "../../scripts/lib/api-client";
import { CAPTURE_MAIL_FROM, startMailCapture, type MailCapture } from "../../scripts/lib/mail-capture";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";
import { browserSignIn, cookieHeader } from "../support/browser-sign-in";
import { actionForm, builtServerActions, postAction } from "../support/server-actions";

const PASSWORD = "correct horse battery";
const CHINESE = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.5" };

let capture: MailCapture;
let testApp: TestApp;
let api: Api;

beforeAll(async () => {
  capture = await startMailCapture();
  testApp = await startTestApp("languages", { SMTP_URL: capture.url, MAIL_FROM: CAPTURE_MAIL_FROM });
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
  await capture?.close();
});

const action = (name: string) => {
  const found = builtServerActions().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no server action ${name} in the build`);
  return found;
};

const requestReset = (email: string) => api.call("POST", "/api/auth/password-reset", { json: { email } });

describe("errors in the reader's language", () => {
  it("answers a wrong password over the token API in Chinese, with the same code", async () => {
    const email = uniqueEmail("lang-grant");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    const form = { grant_type: "password", username: email, password: "not the password" };

    const chinese = await api.call("POST", "/api/auth/token", { form, headers: CHINESE });
    expect(chinese.status).toBe(400);
    expect(chinese.body).toEqual({ error: "invalid_grant", error_description: "邮箱或密码错误。" });
    expect(chinese.headers.get("content-language")).toBe("zh-CN");

    const english = await api.call("POST", "/api/auth/token", { form });
    expect(english.body).toEqual({ error: "invalid_grant", error_description: "Wrong email or password." });
    expect(english.headers.get("content-language")).toBe("en");
  });

  it("answers a bad registration body with Chinese fields", async () => {
    const res = await api.call("POST", "/api/auth/register", {
      json: { email: "not an address", password: "short" },
      headers: CHINESE,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: "invalid_request",
      error_description: "email：请输入有效的邮箱地址。",
      fields: { email: ["请输入有效的邮箱地址。"], password: ["密码至少需要 8 个字符。"] },
    });
  });

  it("answers a server action's failure in the language of the NEXT_LOCALE cookie", async () => {
    const register = action("registerAction");
    const answer = await postAction(
      testApp.app.url,
      "/register",
      register.id,
      actionForm({ email: "not an address", password: "short", name: "" }),
      // The cookie wins over the browser's preference: the person chose Chinese with the switcher.
      { cookie: "NEXT_LOCALE=zh-CN", "accept-language": "en" },
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("请更正标出的字段。");
    expect(answer.text).toContain("请输入有效的邮箱地址。");
    expect(answer.text).toContain("密码至少需要 8 个字符。");
    expect(answer.text).not.toContain("Please correct the highlighted fields.");
  });

  it("refuses a cross-site post, and a form post it cannot read, in Chinese (the proxy's own answers)", async () => {
    const crossSite = await fetch(`${testApp.app.url}/devices`, {
      method: "POST",
      headers: { origin: "https://evil.example", "accept-language": "zh-CN", "content-type": "text/plain" },
      body: "x",
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("content-language")).toBe("zh-CN");
    expect(await crossSite.json()).toEqual({ error: "invalid_request", error_description: "已拒绝跨站请求。" });

    const register = action("registerAction");
    const unreadable = await postAction(testApp.app.url, "/register", register.id, "garbage", {
      "content-type": "text/plain;charset=UTF-8",
      "accept-language": "zh-CN",
    });
    expect(unreadable.status).toBe(400);
    expect(JSON.parse(unreadable.text)).toMatchObject({ error: "invalid_request" });
    expect(JSON.parse(unreadable.text).error_description).toMatch(/^无法读取此表单提交：.+。请刷新页面后重试。$/);
  });
});

describe("mail in the account's language", () => {
  it("mails someone who registered in Chinese in Chinese: the verification link, then a reset link", async () => {
    const email = uniqueEmail("lang-zh");
    const since = Date.now();
    const registered = await api.call("POST", "/api/auth/register", {
      json: { email, password: PASSWORD },
      headers: CHINESE,
    });
    expect(registered.status).toBe(201);
    const verification = await capture.waitFor(email, { since });
    expect(verification.subject).toBe("验证你的邮箱地址");
    expect(verification.text).toContain(`请打开此链接，确认 ${email} 是你的邮箱地址：`);
    expect(verification.text).toContain("24 小时内有效");

    const resetSince = Date.now();
    expect((await requestReset(email)).status).toBe(202);
    const reset = await capture.waitFor(email, { subject: /^重置你的密码$/, since: resetSince });
    expect(reset.text).toContain(`有人请求重置你的账号 ${email} 的密码。`);
  });

  it("mails in the language chosen with the switcher while signed in", async () => {
    const email = uniqueEmail("lang-switch");
    expect((await api.register(email, PASSWORD)).status).toBe(201);
    let since = Date.now();
    expect((await requestReset(email)).status).toBe(202);
    expect((await capture.waitFor(email, { since, subject: /^(Reset your password|重置你的密码)$/ })).subject).toBe(
      "Reset your password",
    );

    const browser = await browserSignIn(testApp.app.url, email, PASSWORD);
    expect(browser.status).toBe(200);
    const choose = action("chooseLanguageAction");
    const form = new FormData();
    form.append("_1_locale", "zh-CN");
    form.append("0", JSON.stringify(["$K1"]));
    const answer = await postAction(testApp.app.url, choose.pages[0] ?? "/devices", choose.id, form, {
      cookie: cookieHeader(browser.cookies),
    });
    expect(answer.status).toBe(200);

    since = Date.now();
    expect((await requestReset(email)).status).toBe(202);
    expect((await capture.waitFor(email, { since, subject: /^(Reset your password|重置你的密码)$/ })).subject).toBe(
      "重置你的密码",
    );
  });
});
