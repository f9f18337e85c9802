import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { activityActor, activityTitle } from "@/app/(app)/settings/activity/activity-text";
import { describeActivity } from "@/core/activity";
import type { ActivityRecord } from "@/core/ports";
import { messagesFor } from "@/i18n/catalogues";
import type { Locale } from "@/i18n/locales";

/**
 * The activity page says each event again from its type and reason, in the reader's language: in
 * English it must say exactly what the engine's description (the API's `title` and `actor`) says.
 */
const TYPES = [
  "signed_in",
  "password_changed",
  "user_registered",
  "refresh_token_reused",
  "user_disabled",
  "user_enabled",
  "password_reset_requested",
  "password_reset",
  "email_verified",
  "email_change_requested",
  "email_changed",
  "two_factor_enabled",
  "two_factor_disabled",
  "recovery_codes_regenerated",
  "recovery_code_used",
  "passkey_added",
  "passkey_removed",
  "identity_linked",
  "identity_unlinked",
  "some_future_event",
];
const REVOCATIONS = [
  "password_change",
  "refresh_token_reused",
  "revoked_by_admin",
  "user_disabled",
  "session_limit",
  "password_reset",
  "logout",
  "revoked_by_user",
  "logout_others",
  "logout_everywhere",
  "cosmic_ray",
  null,
];

function record(type: string, reason: string | null, more: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    id: "1",
    type,
    reason,
    sessionId: "s1",
    actorSessionId: "s2",
    device: "Firefox on Linux",
    actorDevice: "Chrome on macOS",
    ip: "203.0.113.9",
    newDevice: false,
    mailUnverified: false,
    createdAt: new Date("2026-03-10T12:00:00Z"),
    ...more,
  };
}

function texts(locale: Locale) {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "activity" });
  return {
    title: (r: ActivityRecord) => {
      const { key, values } = activityTitle(describeActivity(r, "s1"));
      return t(`event.${key}`, values as never);
    },
    actor: (r: ActivityRecord) => {
      const actor = describeActivity(r, "s1").actor;
      if (actor === null) return null;
      const phrase = activityActor(actor);
      return typeof phrase === "string" ? phrase : t(`actor.${phrase.key}`, phrase.values as never);
    },
  };
}

const records = [
  ...TYPES.map((type) => record(type, null)),
  record("signed_in", null, { newDevice: true }),
  record("identity_linked", "GitHub"),
  record("identity_unlinked", "Acme SSO"),
  ...REVOCATIONS.map((reason) => record("session_revoked", reason)),
  record("session_revoked", "logout_others", { actorSessionId: "s1" }),
  record("password_changed", null, { actorSessionId: null, actorDevice: null }),
];

describe("activity texts", () => {
  it("say in English exactly what the engine says", () => {
    const en = texts("en");
    for (const r of records) {
      const item = describeActivity(r, "s1");
      expect(en.title(r), `${r.type} ${r.reason}`).toBe(item.title);
      expect(en.actor(r), `${r.type} ${r.reason}`).toBe(item.actor);
    }
  });

  it("say it in Chinese, keeping device and provider names as they are", () => {
    const zh = texts("zh-CN");
    expect(zh.title(record("signed_in", null, { newDevice: true }))).toBe("从新设备登录");
    expect(zh.title(record("identity_linked", "GitHub"))).toBe("已关联 GitHub");
    expect(zh.title(record("session_revoked", "logout_others"))).toBe("通过“退出其他设备”退出登录");
    expect(zh.actor(record("session_revoked", "logout_others"))).toBe("你（Chrome on macOS）");
    expect(zh.actor(record("session_revoked", "logout_others", { actorSessionId: "s1" }))).toBe("你（本设备）");
    expect(zh.actor(record("session_revoked", "cosmic_ray"))).toBe("系统（cosmic ray）");
    expect(zh.title(record("some_future_event", null))).toBe("安全事件：some future event");
    // Every known event has its Chinese words (only an unknown type's code stays as it is).
    for (const r of records.filter((r) => r.type !== "some_future_event")) {
      expect(zh.title(r)).not.toMatch(/[a-z]{4,} [a-z]{4,}/);
    }
  });
});
