/**
 * Time formatting for server components only: the output depends on "now" (and the server's time
 * zone), so rendering it on the client as well would cause hydration mismatches.
 */

const UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "just now", "5 minutes ago", "2 days ago"… for a moment in the past (future moments read "just now"). */
export function formatRelativeTime(value: Date | string, now: Date): string {
  const seconds = Math.floor((now.getTime() - toDate(value).getTime()) / 1000);
  if (Number.isNaN(seconds)) return "at an unknown time";
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return "just now";
}

/** "Jan 5, 2026, 3:04 PM UTC": an absolute moment, with its time zone so it is never ambiguous. */
export function formatDateTime(value: Date | string, timeZone?: string): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "an unknown date";
  return new Intl.DateTimeFormat("en", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  }).format(date);
}
