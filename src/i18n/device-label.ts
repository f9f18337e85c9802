import { DEVICE_LABEL_WORDS } from "@/core/device-label";

/** The `common.deviceLabel` messages: "{browser} on {os}" and the words for what is unknown. */
export type DeviceLabelTranslate = (
  key: "label" | "unknownDevice" | "unknownBrowser" | "unknownOs",
  values?: Record<string, string>,
) => string;

/**
 * A device label as the engine wrote it ("Firefox on Linux", "an unknown browser on Linux"), in the
 * reader's language ("Firefox（Linux）"). Browser and OS names are names: they stay as they are.
 * Anything that is not such a label comes back unchanged. The split is at the last " on ": the
 * label's parts are cleaned of everything but letters, digits and a little punctuation upstream,
 * and an OS name never contains " on ".
 */
export function localizeDeviceLabel(label: string, t: DeviceLabelTranslate): string {
  const words = DEVICE_LABEL_WORDS;
  if (label === words.unknownDevice) return t("unknownDevice");
  const at = label.lastIndexOf(words.on);
  if (at <= 0) return label;
  const browser = label.slice(0, at);
  const os = label.slice(at + words.on.length);
  if (!os) return label;
  return t("label", {
    browser: browser === words.unknownBrowser ? t("unknownBrowser") : browser,
    os: os === words.unknownOs ? t("unknownOs") : os,
  });
}
