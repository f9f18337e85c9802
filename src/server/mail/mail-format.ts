/** What the security and account emails share: how a time, a duration and the greeting are written. */

const when = new Intl.DateTimeFormat("en", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

/** "Dec 6, 2026, 8:38 PM UTC", with plain spaces (Intl puts a narrow no-break space before "PM"). */
export function formatWhen(at: Date): string {
  return when.format(at).replace(/\s/g, " ");
}

/** "30 minutes", "24 hours", "1 hour": the span from `fromMs` to `until`, rounded to the minute. */
export function formatDuration(until: Date, fromMs: number): string {
  const minutes = Math.max(1, Math.round((until.getTime() - fromMs) / 60_000));
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} hours`;
  if (minutes === 60) return "1 hour";
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** "Hello Ada," when the account has a name, else "Hello,". */
export function greeting(name: string | null): string {
  const trimmed = name?.trim();
  return trimmed ? `Hello ${trimmed},` : "Hello,";
}

/** APP_URL without a trailing slash, so that paths can be appended. */
export function baseUrl(appUrl: string): string {
  return appUrl.replace(/\/+$/, "");
}
