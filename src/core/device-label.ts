// Dependency-free on purpose: the browser's bundle reads these words too (src/i18n/device-label.ts).

/**
 * The words of a device label, in English: "Firefox on Linux", "an unknown browser on Linux", "an
 * unknown device". Labels are stored in the activity as written; src/i18n/device-label.ts reads
 * them back with these words to say them in the reader's language.
 */
export const DEVICE_LABEL_WORDS = {
  on: " on ",
  unknownDevice: "an unknown device",
  unknownBrowser: "an unknown browser",
  unknownOs: "an unknown OS",
} as const;

export function deviceLabel(browser: string | null, os: string | null): string {
  const words = DEVICE_LABEL_WORDS;
  if (!browser && !os) return words.unknownDevice;
  return `${browser ?? words.unknownBrowser}${words.on}${os ?? words.unknownOs}`;
}
