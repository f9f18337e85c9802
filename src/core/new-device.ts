import { UAParser } from "ua-parser-js";
import { sha256 } from "./crypto";
import type { EngineDeps } from "./deps";
import { deviceLabel } from "./device-label";
import { errorMessage } from "./errors";
import type { NewSessionRecord, SessionEventInput, UserRecord } from "./ports";

/**
 * New-device sign-ins: the first sign-in of a user from a device (browser + OS + device type) they
 * have not used before is recorded as such in the activity, pushed to their other open sessions and
 * mailed to them. Versions are left out on purpose: a browser or OS update is not a new device.
 */

export interface DeviceIdentity {
  /** Stored per user in known_devices: a hash, fixed length, whatever the User-Agent. */
  key: string;
  /** "Firefox on Linux": for people (activity, notice, email). Never contains a version. */
  label: string;
}

const MAX_USER_AGENT = 512;
const KEY_VERSION = "v1";
/** Friendlier names for what ua-parser reports. */
const OS_NAMES: Record<string, string> = { "Mac OS": "macOS", "Chromium OS": "ChromeOS" };

/**
 * The User-Agent is chosen by whoever signs in, and the label ends up in an email: keep letters,
 * digits, spaces and a little punctuation only (no URLs, no markup), and a sane length.
 */
function clean(value: string | undefined): string | null {
  const text = (value ?? "")
    .replace(/[^\p{L}\p{N} ._+-]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 40);
  return text || null;
}

export function identifyDevice(userAgent: string | null | undefined): DeviceIdentity {
  const result = new UAParser((userAgent ?? "").slice(0, MAX_USER_AGENT)).getResult();
  const browser = clean(result.browser.name);
  const osName = result.os.name ? (OS_NAMES[result.os.name] ?? result.os.name) : undefined;
  const os = clean(osName);
  const type = result.device.type ?? (os ? "desktop" : "unknown");
  const key = sha256([KEY_VERSION, browser ?? "", os ?? "", type].join("|").toLowerCase());
  return { key, label: deviceLabel(browser, os) };
}

/**
 * The decision: alert when this device is new for the user AND they had signed in from another
 * device before. The very first sign-in of an account (or the first after this feature shipped,
 * when nothing is known yet) teaches the device silently.
 */
export function isNewDeviceSignIn(seen: { firstSeen: boolean; hadOtherDevices: boolean }): boolean {
  return seen.firstSeen && seen.hadOtherDevices;
}

type SignedInSession = Pick<NewSessionRecord, "id" | "ip" | "userAgent" | "createdAt">;

/**
 * What follows a successful sign-in once its session row exists: the activity event, and for a new
 * device the live notice and the email. None of it may fail or slow the sign-in: a failure is
 * logged and the sign-in goes on; the email is not even waited for.
 */
export function createSignInRecorder(
  deps: Pick<EngineDeps, "knownDevices" | "mailer" | "notifier" | "logger">,
  audit: (entries: SessionEventInput[]) => Promise<void>,
) {
  const { knownDevices, mailer, notifier, logger } = deps;

  async function detect(userId: string, key: string, now: Date): Promise<boolean> {
    try {
      return isNewDeviceSignIn(await knownDevices.remember(userId, key, now));
    } catch (error) {
      logger.warn("known_device_check_failed", { userId, error: errorMessage(error) });
      return false;
    }
  }

  return async function recordSignIn(user: UserRecord, session: SignedInSession): Promise<void> {
    const device = identifyDevice(session.userAgent);
    const newDevice = await detect(user.id, device.key, session.createdAt);
    await audit([
      {
        userId: user.id,
        sessionId: session.id,
        type: "signed_in",
        ip: session.ip,
        userAgent: session.userAgent,
        device: device.label,
        newDevice,
        // The alert below goes out all the same: the owner may need it (ADR 15).
        mailUnverified: newDevice && !user.emailVerifiedAt,
      },
    ]);
    if (!newDevice) return;
    logger.info("new_device_sign_in", { userId: user.id, sessionId: session.id });
    try {
      await notifier.publish({
        type: "new_device_sign_in",
        userId: user.id,
        sessionId: session.id,
        device: device.label,
        ip: session.ip,
        at: session.createdAt.toISOString(),
      });
    } catch (error) {
      logger.warn("new_device_notice_failed", { userId: user.id, error: errorMessage(error) });
    }
    // Not awaited: an SMTP server that is slow or down must not hold the sign-in up.
    const alert = {
      userId: user.id,
      email: user.email,
      name: user.name,
      locale: user.locale,
      device: device.label,
      ip: session.ip,
      at: session.createdAt,
    };
    void Promise.resolve()
      .then(() => mailer.newDeviceSignIn(alert))
      .catch((error: unknown) =>
        logger.warn("new_device_mail_failed", { userId: user.id, error: errorMessage(error) }),
      );
  };
}
