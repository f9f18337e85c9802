import { describe, expect, it } from "vitest";
import type { NewDeviceNotice } from "@/core/ports";
import { newDeviceEventFor, parseNewDeviceNotice } from "@/server/activity/new-device-push";
import { endsSession } from "@/server/auth/sign-out-stream";
import { EnvError, parseEnv } from "@/server/env";
import { newDeviceMail } from "@/server/mail/new-device-mail";
import { outboxViewerEnabled } from "@/server/mail/outbox";
import { parseRevocationNotice } from "@/server/revocation/feed";

const alert = {
  userId: "3f0c5b7e-2d0a-4c55-9a57-0c6a7b0e8d11",
  email: "ada@example.com",
  name: "Ada",
  device: "Firefox on Linux",
  ip: "203.0.113.9",
  at: new Date("2026-01-05T15:04:00.000Z"),
};

describe("the new-device email", () => {
  const mail = newDeviceMail(alert, "https://app.example.com/");

  it("goes to the account's address and names the device in the subject", () => {
    expect(mail.to).toBe("ada@example.com");
    expect(mail.subject).toBe("New sign-in to your account from Firefox on Linux");
  });

  it("says what, when and where", () => {
    expect(mail.text).toContain("Your account ada@example.com was just signed in to from a device");
    expect(mail.text).toContain("When:  Jan 5, 2026, 3:04 PM UTC");
    expect(mail.text).toContain("Where: Firefox on Linux, IP address 203.0.113.9");
    expect(newDeviceMail({ ...alert, ip: null }, "https://app.example.com").text).toContain(
      "Where: Firefox on Linux\n",
    );
  });

  it("says what to do if it wasn't you, with links to pages that ask for a sign-in (and nothing else)", () => {
    expect(mail.text).toContain("If it wasn't you");
    const links = mail.text.match(/https?:\/\/\S+/g);
    expect(links).toEqual([
      "https://app.example.com/devices",
      "https://app.example.com/settings/password",
      "https://app.example.com/settings/activity",
    ]);
    expect(mail.text).not.toMatch(/token|[A-Za-z0-9_-]{40,}/i);
  });

  it("keeps lines short (plain 7-bit text, readable anywhere)", () => {
    for (const line of mail.text.split("\n")) expect(line.length).toBeLessThanOrEqual(76);
    expect(mail.text).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

describe("the new-device notice on the revocation feed", () => {
  const notice: NewDeviceNotice = {
    type: "new_device_sign_in",
    userId: "u1",
    sessionId: "new-session",
    device: "Firefox on Linux",
    ip: "203.0.113.9",
    at: "2026-01-05T15:04:00.000Z",
  };

  it("crosses instances intact (Redis pub/sub is JSON) and garbage is dropped", () => {
    expect(parseRevocationNotice(JSON.stringify(notice))).toEqual(notice);
    expect(parseRevocationNotice(JSON.stringify({ ...notice, ip: null }))).toEqual({ ...notice, ip: null });
    for (const bad of [
      { ...notice, userId: "" },
      { ...notice, device: 42 },
      { ...notice, at: "yesterday" },
      { ...notice, ip: ["x"] },
      { ...notice, sessionId: "s".repeat(500) },
    ]) {
      expect(parseRevocationNotice(JSON.stringify(bad))).toBeNull();
    }
    expect(parseNewDeviceNotice({ type: "new_device_sign_in" })).toBeNull();
  });

  it("is pushed to the user's other sessions only, and never signs anyone out", () => {
    const event = newDeviceEventFor(notice, { sub: "u1", sid: "laptop" });
    expect(event).toBe(
      `event: new-device\ndata: ${JSON.stringify({ id: "new-session", device: "Firefox on Linux", ip: "203.0.113.9", at: notice.at })}\n\n`,
    );
    expect(newDeviceEventFor(notice, { sub: "u1", sid: "new-session" })).toBeNull();
    expect(newDeviceEventFor(notice, { sub: "someone-else", sid: "laptop" })).toBeNull();
    expect(endsSession(notice, { sub: "u1", sid: "laptop", sv: 0 })).toBeNull();
  });
});

describe("mail configuration", () => {
  it("SMTP_URL must be smtp(s):// and needs MAIL_FROM", () => {
    expect(() => parseEnv({ SMTP_URL: "http://mail.example.com", MAIL_FROM: "a@example.com" })).toThrow(/SMTP_URL/);
    expect(() => parseEnv({ SMTP_URL: "smtp://mail.example.com:587" })).toThrow(EnvError);
    expect(() => parseEnv({ SMTP_URL: "smtp://mail.example.com:587" })).toThrow(
      /MAIL_FROM: is required when SMTP_URL is set/,
    );
    expect(
      parseEnv({ SMTP_URL: "smtps://u:p@mail.example.com", MAIL_FROM: "Security <no-reply@example.com>" }),
    ).toMatchObject({ MAIL_FROM: "Security <no-reply@example.com>" });
    expect(() => parseEnv({ MAIL_FROM: "no-reply@example.com\nBcc: x@evil.example" })).toThrow(/MAIL_FROM/);
  });

  it("the outbox viewer is on in development, off in production unless MAIL_OUTBOX_VIEWER=1", () => {
    const prod = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), JWT_SIGNING_KEYS: "{}" };
    expect(outboxViewerEnabled(parseEnv({}))).toBe(true);
    expect(outboxViewerEnabled(parseEnv(prod))).toBe(false);
    expect(outboxViewerEnabled(parseEnv({ ...prod, MAIL_OUTBOX_VIEWER: "1" }))).toBe(true);
  });
});
