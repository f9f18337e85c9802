import { createFormatter } from "next-intl";
import { describe, expect, it } from "vitest";
import { timeFormat } from "@/components/relative-time";
import { messagesFor } from "@/i18n/catalogues";
import type { Locale } from "@/i18n/locales";

const now = new Date("2026-03-10T12:00:00.000Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

function formatIn(locale: Locale) {
  return timeFormat(createFormatter({ locale, timeZone: "UTC" }), messagesFor(locale).shell.time);
}

// Some ICU versions put a narrow no-break space before "PM": compare with plain spaces.
const plain = (text: string) => text.replace(/\s/g, " ");

describe("relative times", () => {
  const en = formatIn("en");
  const zh = formatIn("zh-CN");

  it("say 'just now' under a minute, and for moments in the future (clock skew)", () => {
    expect(en.relative(now, now)).toBe("just now");
    expect(en.relative(ago(59), now)).toBe("just now");
    expect(en.relative(ago(-30), now)).toBe("just now");
    expect(zh.relative(ago(59), now)).toBe("刚刚");
  });

  it("use the nearest unit, in the reader's language", () => {
    expect(en.relative(ago(60), now)).toBe("1 minute ago");
    expect(en.relative(ago(5 * 60 + 20), now)).toBe("5 minutes ago");
    expect(en.relative(ago(3 * 3600), now)).toBe("3 hours ago");
    expect(en.relative(ago(2 * 86400 + 100), now)).toBe("2 days ago");
    expect(en.relative(ago(15 * 86400), now)).toBe("2 weeks ago");
    expect(en.relative(ago(400 * 86400), now)).toBe("1 year ago");
    expect(zh.relative(ago(5 * 60), now)).toBe("5 分钟前");
    expect(zh.relative(ago(3 * 3600), now)).toBe("3 小时前");
  });

  it("accept ISO strings and survive garbage", () => {
    expect(en.relative("2026-03-10T11:55:00.000Z", now)).toBe("5 minutes ago");
    expect(en.relative("not a date", now)).toBe("at an unknown time");
    expect(zh.relative("not a date", now)).toBe("时间未知");
  });
});

describe("absolute times", () => {
  it("write the moment with its time zone", () => {
    expect(plain(formatIn("en").dateTime("2026-01-05T15:04:00.000Z"))).toBe("Jan 5, 2026, 3:04 PM UTC");
    expect(plain(formatIn("zh-CN").dateTime("2026-01-05T15:04:00.000Z"))).toBe("2026年1月5日 UTC 15:04");
    expect(formatIn("en").dateTime("not a date")).toBe("an unknown date");
  });
});
