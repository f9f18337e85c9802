import { describe, expect, it } from "vitest";
import { negotiateLocale, resolveLocale } from "@/i18n/locales";

describe("the request's language", () => {
  it.each([
    [null, "en"],
    ["", "en"],
    ["en-US,en;q=0.9", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["fr-FR,fr;q=0.9", "en"],
    ["fr-FR,zh;q=0.5,en;q=0.4", "zh-CN"],
    ["en;q=0.5,zh-CN;q=0.8", "zh-CN"],
    ["zh-CN;q=0,en", "en"],
    ["de,*;q=0.1", "en"],
    ["ZH-cn", "zh-CN"],
    ["garbage;;q=x,zh", "zh-CN"],
  ])("Accept-Language %j speaks %s", (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it("a remembered choice wins over the browser's preference; an unknown one does not count", () => {
    expect(resolveLocale({ cookie: "en", acceptLanguage: "zh-CN" })).toBe("en");
    expect(resolveLocale({ cookie: "zh-CN", acceptLanguage: "en" })).toBe("zh-CN");
    expect(resolveLocale({ cookie: "fr", acceptLanguage: "zh-CN" })).toBe("zh-CN");
    expect(resolveLocale({ cookie: undefined, acceptLanguage: undefined })).toBe("en");
  });
});
