import { z } from "zod";
import { parseIpAddress } from "./ip-address";
import type { ActivityLog, ActivityRecord } from "./ports";

/**
 * The security activity of an account: its stored events (sign-ins, new-device sign-ins,
 * revocations, password changes) described for people, newest first, in pages with a stable
 * keyset cursor. One module for the page (/settings/activity) and the API (/api/account/activity).
 */

export const ACTIVITY_PAGE_SIZE = 20;
export const ACTIVITY_MAX_PAGE_SIZE = 100;

/**
 * Left out of the activity: a reused refresh token is recorded twice (the reuse, and the
 * revocation it causes, reason refresh_token_reused); the revocation alone says it all.
 */
export const HIDDEN_ACTIVITY_TYPES = ["refresh_token_reused"] as const;

export const activityItemSchema = z.object({
  id: z.string().describe("The event's id (a decimal integer, increasing with time)."),
  type: z
    .string()
    .describe("The stored event type: signed_in, session_revoked, password_changed, user_registered, or a newer one."),
  reason: z
    .string()
    .nullable()
    .describe(
      "Why a session ended (logout, revoked_by_user, password_change, ...); for identity_linked and identity_unlinked, the provider's name; else null.",
    ),
  title: z.string().describe("What happened, in words."),
  device: z
    .string()
    .nullable()
    .describe('The device the event is about ("Firefox on Linux"), as it was when it happened.'),
  thisDevice: z.boolean().describe("The event is about the session making this request."),
  ip: z.string().nullable().describe("The IP address of that device's sign-in."),
  actor: z
    .string()
    .nullable()
    .describe(
      'Who or what did it ("you, from Chrome on macOS", "password change", "an administrator"); null for sign-ins.',
    ),
  newDevice: z.boolean().describe("A sign-in from a device the account had not used before."),
  mailUnverified: z
    .boolean()
    .describe("A security email about this event went to an address the owner had not verified then."),
  occurredAt: z.iso.datetime().describe("When it happened (ISO 8601, UTC)."),
});
export type ActivityItem = z.infer<typeof activityItemSchema>;

export const activityPageSchema = z.object({
  items: z.array(activityItemSchema).describe("Newest first."),
  olderCursor: z
    .string()
    .nullable()
    .describe("Pass as `cursor` for the next page of older events; null on the oldest page."),
  newerCursor: z
    .string()
    .nullable()
    .describe("Pass as `cursor` for the page of newer events; null on the newest page."),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;

// ---- cursors ---------------------------------------------------------------------------------

export interface ActivityCursor {
  direction: "older" | "newer";
  /** The event id the page starts after (exclusive). */
  id: string;
}

const MAX_ID = 9_223_372_036_854_775_807n; // PostgreSQL bigint
const CURSOR_TEXT = /^([on]):([1-9][0-9]{0,18})$/;

/** Opaque to clients (they only pass it back); not a secret: it names an event of their own. */
export function encodeActivityCursor(cursor: ActivityCursor): string {
  return Buffer.from(`${cursor.direction === "older" ? "o" : "n"}:${cursor.id}`).toString("base64url");
}

/** Null for anything that `encodeActivityCursor` did not produce. */
export function decodeActivityCursor(value: string): ActivityCursor | null {
  if (value.length === 0 || value.length > 32 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const match = CURSOR_TEXT.exec(Buffer.from(value, "base64url").toString("latin1"));
  if (!match || BigInt(match[2]!) > MAX_ID) return null;
  const cursor: ActivityCursor = { direction: match[1] === "o" ? "older" : "newer", id: match[2]! };
  return encodeActivityCursor(cursor) === value ? cursor : null;
}

// ---- descriptions ----------------------------------------------------------------------------

/** Revocations decided by something other than the user's own click: title and "who". */
const AUTOMATIC: Record<string, { title: string; actor: string }> = {
  password_change: { title: "Signed out by a password change", actor: "password change" },
  refresh_token_reused: {
    title: "Signed out: an old refresh token was used again",
    actor: "refresh token reuse detected",
  },
  revoked_by_admin: { title: "Signed out by an administrator", actor: "an administrator" },
  user_disabled: { title: "Signed out: the account was disabled", actor: "an administrator" },
  session_limit: { title: "Signed out because of the session limit", actor: "the session limit" },
  password_reset: { title: "Signed out by a password reset", actor: "password reset" },
};

/** Revocations the user asked for, from one of their sessions. */
const BY_USER: Record<string, string> = {
  logout: "Signed out",
  revoked_by_user: "Device logged out",
  logout_others: "Logged out with “Log out other devices”",
  logout_everywhere: "Logged out everywhere",
};

function words(code: string): string {
  return code.replace(/[_-]+/g, " ").trim();
}

/** "you, from this device" / "you, from Chrome on macOS": the user acted from one of their sessions. */
function you(record: ActivityRecord, currentSessionId: string): string {
  if (record.actorSessionId !== null && record.actorSessionId === currentSessionId) return "you, from this device";
  return `you, from ${record.actorDevice ?? "a device no longer known"}`;
}

type Description = Pick<ActivityItem, "title" | "actor"> & { showDevice: boolean };

function describeRevocation(record: ActivityRecord, currentSessionId: string): Description {
  const reason = record.reason ?? "";
  const automatic = AUTOMATIC[reason];
  if (automatic) return { ...automatic, showDevice: true };
  const title = BY_USER[reason];
  // "Everywhere" concerns every device, not the one that asked (stored as the event's session).
  if (title) return { title, actor: you(record, currentSessionId), showDevice: reason !== "logout_everywhere" };
  return { title: "Signed out", actor: reason ? `the system (${words(reason)})` : "the system", showDevice: true };
}

function describe(record: ActivityRecord, currentSessionId: string): Description {
  switch (record.type) {
    case "signed_in":
      return { title: record.newDevice ? "Signed in from a new device" : "Signed in", actor: null, showDevice: true };
    case "session_revoked":
      return describeRevocation(record, currentSessionId);
    case "password_changed":
      return {
        title: "Password changed; every other device was signed out",
        actor: you(record, currentSessionId),
        showDevice: false,
      };
    case "user_registered":
      return { title: "Account created", actor: null, showDevice: false };
    case "refresh_token_reused":
      return { title: "An old refresh token was used again", actor: "refresh token reuse detected", showDevice: true };
    case "user_disabled":
      return { title: "Account disabled; every device was signed out", actor: "an administrator", showDevice: false };
    case "user_enabled":
      return { title: "Account enabled again", actor: "an administrator", showDevice: false };
    // Asked for and done through emailed links: the device is the one that asked or used the link.
    case "password_reset_requested":
      return { title: "Password reset link requested", actor: null, showDevice: true };
    case "password_reset":
      return {
        title: "Password reset with an emailed link; every device was signed out",
        actor: null,
        showDevice: true,
      };
    case "email_verified":
      return { title: "Email address verified", actor: null, showDevice: false };
    case "email_change_requested":
      return { title: "Email change requested", actor: you(record, currentSessionId), showDevice: false };
    case "email_changed":
      return { title: "Email address changed", actor: null, showDevice: false };
    // Two-factor sign-in: turned on or off and codes replaced from a signed-in device (the actor);
    // a recovery code used by the device it signed in.
    case "two_factor_enabled":
      return { title: "Two-factor authentication turned on", actor: you(record, currentSessionId), showDevice: false };
    case "two_factor_disabled":
      return { title: "Two-factor authentication turned off", actor: you(record, currentSessionId), showDevice: false };
    case "recovery_codes_regenerated":
      return { title: "New recovery codes made", actor: you(record, currentSessionId), showDevice: false };
    case "recovery_code_used":
      return { title: "Signed in with a recovery code", actor: null, showDevice: true };
    // Passkeys: added or removed from one of the user's sessions (the settings page, or the API).
    case "passkey_added":
      return { title: "Passkey added", actor: you(record, currentSessionId), showDevice: false };
    case "passkey_removed":
      return { title: "Passkey removed", actor: you(record, currentSessionId), showDevice: false };
    // Identity providers: the event's reason holds the provider's name as it was then.
    case "identity_linked":
      return {
        title: `${record.reason ?? "An identity provider"} connected`,
        actor: you(record, currentSessionId),
        showDevice: false,
      };
    case "identity_unlinked":
      return {
        title: `${record.reason ?? "An identity provider"} disconnected`,
        actor: you(record, currentSessionId),
        showDevice: false,
      };
    default: {
      const known = AUTOMATIC[record.reason ?? ""];
      const title = `Security event: ${words(record.type)}`;
      return { title, actor: known?.actor ?? null, showDevice: true };
    }
  }
}

/** One stored event, described for the user looking at it from session `currentSessionId`. */
export function describeActivity(record: ActivityRecord, currentSessionId: string): ActivityItem {
  const { title, actor, showDevice } = describe(record, currentSessionId);
  return {
    id: record.id,
    type: record.type,
    reason: record.reason,
    title,
    device: showDevice ? record.device : null,
    thisDevice: showDevice && record.sessionId !== null && record.sessionId === currentSessionId,
    ip: showDevice ? parseIpAddress(record.ip) : null, // only an address, whatever the row holds
    actor,
    newDevice: record.newDevice,
    mailUnverified: record.mailUnverified,
    occurredAt: record.createdAt.toISOString(),
  };
}

// ---- the feed --------------------------------------------------------------------------------

export interface ActivityViewer {
  userId: string;
  /** The session looking: its own events read "this device". */
  sessionId: string;
}

/**
 * Keyset pages (never OFFSET): a page is "the `limit` events just older (or newer) than event
 * X", so events recorded while someone pages never shift, repeat or skip what they see.
 */
export function createActivityFeed(log: ActivityLog) {
  const list = (userId: string, direction: ActivityCursor["direction"], from: string | null, limit: number) =>
    log.list(userId, { direction, from, limit, hiddenTypes: HIDDEN_ACTIVITY_TYPES });
  const cursorIfAny = async (userId: string, direction: ActivityCursor["direction"], from: string | undefined) =>
    from !== undefined && (await list(userId, direction, from, 1)).length > 0
      ? encodeActivityCursor({ direction, id: from })
      : null;

  return {
    async page(viewer: ActivityViewer, query: { cursor: ActivityCursor | null; limit: number }): Promise<ActivityPage> {
      const { cursor, limit } = query;
      const direction = cursor?.direction ?? "older";
      const rows = await list(viewer.userId, direction, cursor?.id ?? null, limit + 1);
      const more = rows.length > limit;
      const records = rows.slice(0, limit);
      if (direction === "newer") records.reverse();
      const newest = records[0]?.id ?? cursor?.id;
      const oldest = records.at(-1)?.id ?? cursor?.id;
      let olderCursor: string | null;
      let newerCursor: string | null;
      if (direction === "older") {
        olderCursor = more && oldest ? encodeActivityCursor({ direction: "older", id: oldest }) : null;
        newerCursor = cursor ? await cursorIfAny(viewer.userId, "newer", newest) : null;
      } else {
        newerCursor = more && newest ? encodeActivityCursor({ direction: "newer", id: newest }) : null;
        olderCursor = await cursorIfAny(viewer.userId, "older", oldest);
      }
      return { items: records.map((record) => describeActivity(record, viewer.sessionId)), olderCursor, newerCursor };
    },
  };
}

export type ActivityFeed = ReturnType<typeof createActivityFeed>;
