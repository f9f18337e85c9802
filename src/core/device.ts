import { UAParser } from "ua-parser-js";

export interface DeviceDescription {
  browser: string | null;
  os: string | null;
  /** "mobile" | "tablet" | "desktop" | ... ; null when unknown. */
  deviceType: string | null;
}

const MAX_USER_AGENT = 512;

/** Browser, OS and device class from a User-Agent, for the devices list. Never throws. */
export function describeDevice(userAgent: string | null | undefined): DeviceDescription {
  if (!userAgent) return { browser: null, os: null, deviceType: null };
  const result = new UAParser(userAgent.slice(0, MAX_USER_AGENT)).getResult();
  const browser = result.browser.name ?? null;
  const os = result.os.name ? [result.os.name, result.os.version].filter(Boolean).join(" ") : null;
  const deviceType = result.device.type ?? (result.os.name ? "desktop" : null);
  return { browser, os, deviceType };
}

export function clampUserAgent(userAgent: string | null | undefined): string | null {
  return userAgent ? userAgent.slice(0, MAX_USER_AGENT) : null;
}
