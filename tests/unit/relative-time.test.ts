import { describe, expect, it } from "vitest";
import { formatDateTime, formatRelativeTime } from "@/components/relative-time";

const now = new Date("2026-03-10T12:00:00.000Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("formatRelativeTime", () => {
  it("says 'just now' under a minute, and for moments in the future (clock skew)", () => {
    expect(formatRelativeTime(now, now)).toBe("just now");
    expect(formatRelativeTime(ago(59), now)).toBe("just now");
    expect(formatRelativeTime(ago(-30), now)).toBe("just now");
  });

  it("uses the largest whole unit", () => {
    expect(formatRelativeTime(ago(60), now)).toBe("1 minute ago");
    expect(formatRelativeTime(ago(5 * 60 + 20), now)).toBe("5 minutes ago");
    expect(formatRelativeTime(ago(3 * 3600), now)).toBe("3 hours ago");
    expect(formatRelativeTime(ago(2 * 86400 + 100), now)).toBe("2 days ago");
    expect(formatRelativeTime(ago(15 * 86400), now)).toBe("2 weeks ago");
    expect(formatRelativeTime(ago(400 * 86400), now)).toBe("1 year ago");
  });

  it("accepts ISO strings and survives garbage", () => {
    expect(formatRelativeTime("2026-03-10T11:55:00.000Z", now)).toBe("5 minutes ago");
    expect(formatRelativeTime("not a date", now)).toBe("at an unknown time");
  });
});

describe("formatDateTime", () => {
  it("formats an absolute moment with its time zone", () => {
    // Some ICU versions put a narrow no-break space before "PM".
    expect(formatDateTime("2026-01-05T15:04:00.000Z", "UTC").replace(/\s/g, " ")).toBe("Jan 5, 2026, 3:04 PM UTC");
  });
});
