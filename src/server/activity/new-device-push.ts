import type { NewDeviceNotice } from "@/core/ports";

/** What the browser receives in the `new-device` server-sent event (see SessionWatcher). */
export interface NewDevicePush {
  id: string;
  device: string;
  ip: string | null;
  at: string;
}

const text = (value: unknown, max: number): value is string =>
  typeof value === "string" && value.length > 0 && value.length <= max;

/** A new-device notice received from another instance (Redis pub/sub); null when malformed. */
export function parseNewDeviceNotice(value: Record<string, unknown>): NewDeviceNotice | null {
  const { userId, sessionId, device, ip, at } = value;
  if (!text(userId, 64) || !text(sessionId, 64) || !text(device, 200) || !text(at, 40) || Number.isNaN(Date.parse(at)))
    return null;
  if (ip !== null && !text(ip, 64)) return null;
  return { type: "new_device_sign_in", userId, sessionId, device, ip, at };
}

/**
 * The server-sent event for one open session: every session of the user but the new one is told.
 * Null when the notice is not for this session.
 */
export function newDeviceEventFor(notice: NewDeviceNotice, session: { sub: string; sid: string }): string | null {
  if (notice.userId !== session.sub || notice.sessionId === session.sid) return null;
  const push: NewDevicePush = { id: notice.sessionId, device: notice.device, ip: notice.ip, at: notice.at };
  return `event: new-device\ndata: ${JSON.stringify(push)}\n\n`;
}
