import { describe, expect, it } from "vitest";
import { identifyDevice, isNewDeviceSignIn } from "@/core/new-device";
import type { Logger } from "@/core/ports";
import { createSessionEngine } from "@/core/session-engine";
import { makeEngine } from "../support/fakes";

const CHROME_MAC_126 =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const CHROME_MAC_131_SONOMA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("identifyDevice: a device is browser + OS + device type, versions ignored", () => {
  it("labels devices for people", () => {
    expect(identifyDevice(CHROME_MAC_126).label).toBe("Chrome on macOS");
    expect(identifyDevice(FIREFOX_LINUX).label).toBe("Firefox on Linux");
    expect(identifyDevice(CHROME_ANDROID).label).toBe("Chrome on Android");
    expect(identifyDevice(null).label).toBe("an unknown device");
    expect(identifyDevice("curl/8.5.0").label).toBe("an unknown device");
  });

  it("a browser or OS update is the same device; another browser, OS or device type is not", () => {
    expect(identifyDevice(CHROME_MAC_131_SONOMA).key).toBe(identifyDevice(CHROME_MAC_126).key);
    const keys = [CHROME_MAC_126, FIREFOX_LINUX, FIREFOX_WINDOWS, CHROME_ANDROID, CHROME_LINUX, null].map(
      (ua) => identifyDevice(ua).key,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("keys are fixed-length hashes, whatever the User-Agent", () => {
    expect(identifyDevice("x".repeat(10_000)).key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(identifyDevice(CHROME_MAC_126).key).not.toContain("Chrome");
  });

  it("a hostile User-Agent cannot put a link or markup into the label (it ends up in an email)", () => {
    const hostile =
      "Mozilla/5.0 (Windows NT 10.0) Opera/9.80 (click https://evil.example/reset?x=<b>now</b>) Version/12.16";
    const label = identifyDevice(hostile).label;
    expect(label).not.toMatch(/[<>:/?=]/);
    expect(label.length).toBeLessThan(100);
  });
});

describe("isNewDeviceSignIn", () => {
  it("alerts only for a device not seen before by a user who had signed in elsewhere", () => {
    expect(isNewDeviceSignIn({ firstSeen: true, hadOtherDevices: true })).toBe(true);
    expect(isNewDeviceSignIn({ firstSeen: true, hadOtherDevices: false })).toBe(false); // the account's first sign-in
    expect(isNewDeviceSignIn({ firstSeen: false, hadOtherDevices: false })).toBe(false);
    expect(isNewDeviceSignIn({ firstSeen: false, hadOtherDevices: true })).toBe(false);
  });
});

describe("signIn and new devices", () => {
  const email = "ada@example.com";
  const password = "correct horse";
  const ip = "198.51.100.4";

  async function setup() {
    const t = await makeEngine();
    await t.engine.register({ email, password });
    return t;
  }

  it("the account's first sign-in is not an alert; a second device is; that device again is not", async () => {
    const { engine, events, notifier, mailer } = await setup();
    await engine.signIn({ email, password }, { ip, userAgent: CHROME_MAC_126 });
    expect(events.events.at(-1)).toMatchObject({ type: "signed_in", newDevice: false, device: "Chrome on macOS", ip });
    expect(notifier.notices).toEqual([]);
    expect(mailer.sent).toEqual([]);

    const firefox = await engine.signIn({ email, password }, { ip, userAgent: FIREFOX_LINUX });
    expect(events.events.at(-1)).toMatchObject({
      type: "signed_in",
      sessionId: firefox.sessionId,
      newDevice: true,
      device: "Firefox on Linux",
    });
    expect(notifier.notices).toEqual([
      {
        type: "new_device_sign_in",
        userId: expect.any(String),
        sessionId: firefox.sessionId,
        device: "Firefox on Linux",
        ip,
        at: expect.any(String),
      },
    ]);
    await Promise.resolve(); // the email is sent without holding the sign-in up
    await Promise.resolve();
    expect(mailer.sent).toEqual([
      { userId: expect.any(String), email, name: null, device: "Firefox on Linux", ip, at: expect.any(Date) },
    ]);

    await engine.signIn({ email, password }, { ip, userAgent: FIREFOX_LINUX });
    await engine.signIn({ email, password }, { ip: "192.0.2.1", userAgent: CHROME_MAC_131_SONOMA }); // updated browser, other network
    expect(events.events.filter((e) => e.type === "signed_in").map((e) => e.newDevice)).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(notifier.notices).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it("never fails or waits for the email: a failing or hung mail server leaves the sign-in intact", async () => {
    const { engine, mailer, deps } = await setup();
    const warnings: string[] = [];
    const logger: Logger = { info() {}, warn: (event) => warnings.push(event), error: (event) => warnings.push(event) };
    const logged = createSessionEngine({ ...deps, logger });
    await logged.signIn({ email, password }, { ip, userAgent: CHROME_MAC_126 });

    mailer.mode = "hang";
    const hung = await Promise.race([
      engine.signIn({ email, password }, { ip, userAgent: FIREFOX_LINUX }),
      new Promise((r) => setTimeout(() => r("timed out"), 1_000)),
    ]);
    expect(hung).toMatchObject({ accessToken: expect.any(String) });

    mailer.mode = "fail";
    const pair = await logged.signIn({ email, password }, { ip, userAgent: FIREFOX_WINDOWS });
    expect((await logged.authenticate(pair.accessToken)).sid).toBe(pair.sessionId);
    await new Promise((r) => setTimeout(r, 0));
    expect(warnings).toContain("new_device_mail_failed");
  });

  it("a failing known-devices table or notifier costs the alert, never the sign-in", async () => {
    const { engine, knownDevices, notifier, events } = await setup();
    await engine.signIn({ email, password }, { ip, userAgent: CHROME_MAC_126 });
    knownDevices.down = true;
    await engine.signIn({ email, password }, { ip, userAgent: FIREFOX_LINUX });
    expect(events.events.at(-1)).toMatchObject({ type: "signed_in", newDevice: false });

    knownDevices.down = false;
    notifier.publish = async () => {
      throw new Error("redis down");
    };
    const pair = await engine.signIn({ email, password }, { ip, userAgent: FIREFOX_WINDOWS });
    expect(events.events.at(-1)).toMatchObject({ sessionId: pair.sessionId, newDevice: true });
  });
});
