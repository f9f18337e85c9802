import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/**
 * Headless, as root on CI, and quiet: without the background-networking flags Chromium keeps calling
 * Google's hosts, which a closed network refuses many times over.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The Chromium the end-to-end tests drive, first found of:
 * 1. `CHROMIUM_PATH` (any Chromium or Chrome binary);
 * 2. `/usr/bin/chromium`, Debian's package (`apt-get install -y chromium`), what CI uses;
 * 3. Playwright's own build, e.g. on a Mac or Windows machine after `npx playwright install chromium`.
 * When none is there, `problem` is the one line the global set-up prints instead of launch errors.
 */
export function findChromium(): { path: string; problem?: undefined } | { path?: undefined; problem: string } {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    return existsSync(configured)
      ? { path: configured }
      : { problem: `e2e: CHROMIUM_PATH=${configured} does not exist; point it at a Chromium binary` };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM };
  const bundled = playwrightChromium();
  if (bundled && existsSync(bundled)) return { path: bundled };
  return {
    problem:
      "e2e: no Chromium found: set CHROMIUM_PATH, install Debian's chromium (apt-get install -y chromium), or run `npx playwright install chromium`",
  };
}

function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined; // this Playwright has no build for this platform
  }
}
