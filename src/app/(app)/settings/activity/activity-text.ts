import type { ActivityItem } from "@/core/activity";
import type { Messages } from "@/i18n/catalogues";

type EventKey = keyof Messages["activity"]["event"];
type ActorKey = keyof Messages["activity"]["actor"];

/** A message of the `activity.event` or `activity.actor` catalogue with its values. */
export type Phrase<K> = { key: K; values?: Record<string, string> };

/** Sessions ended by something other than the user's own click, and ended at the user's request. */
const REVOKED: Record<string, EventKey> = {
  password_change: "signedOutPasswordChange",
  refresh_token_reused: "signedOutTokenReused",
  revoked_by_admin: "signedOutAdmin",
  user_disabled: "signedOutDisabled",
  session_limit: "signedOutSessionLimit",
  password_reset: "signedOutPasswordReset",
  logout: "signedOut",
  revoked_by_user: "deviceLoggedOut",
  logout_others: "loggedOutOthers",
  logout_everywhere: "loggedOutEverywhere",
};

const BY_TYPE: Record<string, EventKey> = {
  password_changed: "passwordChanged",
  user_registered: "accountCreated",
  refresh_token_reused: "tokenReused",
  user_disabled: "accountDisabled",
  user_enabled: "accountEnabled",
  password_reset_requested: "resetRequested",
  password_reset: "passwordReset",
  email_verified: "emailVerified",
  email_change_requested: "emailChangeRequested",
  email_changed: "emailChanged",
  two_factor_enabled: "twoFactorOn",
  two_factor_disabled: "twoFactorOff",
  recovery_codes_regenerated: "recoveryCodesMade",
  recovery_code_used: "recoveryCodeUsed",
  passkey_added: "passkeyAdded",
  passkey_removed: "passkeyRemoved",
};

/**
 * What happened, in the reader's language. The engine describes an event in English (the API's
 * `title`); the page says it again from the event's type and reason, which carry the same facts.
 */
export function activityTitle(item: Pick<ActivityItem, "type" | "reason" | "newDevice">): Phrase<EventKey> {
  switch (item.type) {
    case "signed_in":
      return { key: item.newDevice ? "signedInNewDevice" : "signedIn" };
    case "session_revoked":
      return { key: (item.reason && REVOKED[item.reason]) || "signedOut" };
    // The reason holds the provider's name as it was then.
    case "identity_linked":
      return item.reason ? { key: "identityLinked", values: { provider: item.reason } } : { key: "someProviderLinked" };
    case "identity_unlinked":
      return item.reason
        ? { key: "identityUnlinked", values: { provider: item.reason } }
        : { key: "someProviderUnlinked" };
    default: {
      const key = BY_TYPE[item.type];
      return key ? { key } : { key: "other", values: { type: item.type.replace(/[_-]+/g, " ").trim() } };
    }
  }
}

/** The engine's fixed "who" phrases (src/core/activity.ts), each with its message. */
const ACTORS: Record<string, ActorKey> = {
  "you, from this device": "youHere",
  "you, from a device no longer known": "youFromUnknown",
  "password change": "passwordChange",
  "refresh token reuse detected": "tokenReuse",
  "an administrator": "admin",
  "the session limit": "sessionLimit",
  "password reset": "passwordReset",
  "the system": "system",
};
const YOU_FROM = "you, from ";
const SYSTEM_BECAUSE = /^the system \((.+)\)$/;

/**
 * Who did it, in the reader's language: the engine's `actor` is one of a closed set of phrases, two
 * of them with a part that is data (a device's name, a reason code), kept as it is. A phrase this
 * page does not know is shown as the engine wrote it.
 */
export function activityActor(actor: string): Phrase<ActorKey> | string {
  const known = ACTORS[actor];
  if (known) return { key: known };
  if (actor.startsWith(YOU_FROM)) return { key: "youFrom", values: { device: actor.slice(YOU_FROM.length) } };
  const system = SYSTEM_BECAUSE.exec(actor);
  if (system) return { key: "systemBecause", values: { reason: system[1]! } };
  return actor;
}
