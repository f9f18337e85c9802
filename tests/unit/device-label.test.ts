import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { deviceLabel } from "@/core/device-label";
import { messagesFor } from "@/i18n/catalogues";
import { localizeDeviceLabel } from "@/i18n/device-label";
import type { Locale } from "@/i18n/locales";

function localize(label: string, locale: Locale): string {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "common.deviceLabel" });
  return localizeDeviceLabel(label, (key, values) => t(key, values));
}

const labels = [
  deviceLabel("Firefox", "Linux"),
  deviceLabel("Mobile Safari", "iOS"),
  deviceLabel(null, "macOS"),
  deviceLabel("Chrome", null),
  deviceLabel(null, null),
];

describe("a device label in the reader's language", () => {
  it("says in English exactly what the engine wrote (the English words are the engine's)", () => {
    expect(labels).toEqual([
      "Firefox on Linux",
      "Mobile Safari on iOS",
      "an unknown browser on macOS",
      "Chrome on an unknown OS",
      "an unknown device",
    ]);
    for (const label of labels) expect(localize(label, "en")).toBe(label);
  });

  it("says it in Chinese, names kept as they are", () => {
    expect(labels.map((label) => localize(label, "zh-CN"))).toEqual([
      "Linux 上的 Firefox",
      "iOS 上的 Mobile Safari",
      "macOS 上的 未知浏览器",
      "未知系统 上的 Chrome",
      "未知设备",
    ]);
  });

  it("leaves anything that is not a label as it is", () => {
    for (const text of ["Chrome", "", " on Linux", "Firefox on "]) expect(localize(text, "zh-CN")).toBe(text);
  });
});
