import { describe, expect, it } from "vitest";
import { describeActivity } from "@/core/activity";
import { parseIpAddress } from "@/core/ip-address";
import { toSessionView } from "@/core/session-views";
import { clientContext, PEER_ADDRESS_HEADER } from "@/server/http/client-info";
import { newDeviceMail } from "@/server/mail/new-device-mail";

const ATTACKER_TEXT = [
  "https://evil.example/verify",
  "evil.example",
  "1.2.3.4, 5.6.7.8",
  "<b>x</b>",
  "01.2.3.4",
  "",
  " ",
];

describe("parseIpAddress: only a valid IP address, in one form", () => {
  it("accepts IPv4 and IPv6 as sockets and proxies write them, normalised", () => {
    expect(parseIpAddress("203.0.113.9")).toBe("203.0.113.9");
    expect(parseIpAddress(" 203.0.113.9 ")).toBe("203.0.113.9");
    expect(parseIpAddress("203.0.113.9:5678")).toBe("203.0.113.9");
    expect(parseIpAddress("2001:DB8:0:0::1")).toBe("2001:db8::1");
    expect(parseIpAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(parseIpAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(parseIpAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(parseIpAddress("::FFFF:7f00:1")).toBe("127.0.0.1");
    expect(parseIpAddress("::1")).toBe("::1");
  });

  it("refuses anything else: text, URLs, lists, non-strings", () => {
    for (const text of ATTACKER_TEXT) expect(parseIpAddress(text)).toBeNull();
    for (const value of [null, undefined, 42, ["1.2.3.4"], "1".repeat(100)]) expect(parseIpAddress(value)).toBeNull();
  });
});

describe("clientContext: which address a request comes from", () => {
  const request = (headers: Record<string, string>) => new Headers({ "user-agent": "UA", ...headers });

  it("with no trusted proxy, the socket's peer (set by server.mjs), never X-Forwarded-For", () => {
    const headers = request({ [PEER_ADDRESS_HEADER]: "::ffff:192.0.2.7", "x-forwarded-for": "198.51.100.1" });
    expect(clientContext(headers, 0)).toEqual({ ip: "192.0.2.7", userAgent: "UA", locale: "en" });
    headers.set("accept-language", "zh-TW,zh;q=0.9");
    expect(clientContext(headers, 0).locale).toBe("zh-CN");
    expect(clientContext(request({ "x-forwarded-for": "198.51.100.1" }), 0).ip).toBeNull();
  });

  it("with N trusted proxies, the Nth X-Forwarded-For entry from the right", () => {
    const headers = request({
      [PEER_ADDRESS_HEADER]: "10.0.0.2",
      "x-forwarded-for": "198.51.100.1, 192.0.2.7, 10.0.0.1",
    });
    expect(clientContext(headers, 1).ip).toBe("10.0.0.1");
    expect(clientContext(headers, 2).ip).toBe("192.0.2.7");
    expect(clientContext(headers, 5).ip).toBe("198.51.100.1"); // fewer entries than proxies: the leftmost
    expect(clientContext(request({ [PEER_ADDRESS_HEADER]: "10.0.0.2" }), 1).ip).toBe("10.0.0.2");
  });

  it("an entry or peer value that is not an IP address is no address", () => {
    for (const text of ATTACKER_TEXT) {
      expect(clientContext(request({ [PEER_ADDRESS_HEADER]: text }), 0).ip).toBeNull();
      if (text.trim() && !text.includes(","))
        // one entry (a blank one is no entry at all)
        expect(clientContext(request({ "x-forwarded-for": `192.0.2.7, ${text}` }), 1).ip).toBeNull();
    }
  });
});

describe("what reaches an email or a page is an IP address or nothing", () => {
  const at = new Date("2026-01-05T15:04:00.000Z");

  it("the new-device email", () => {
    const alert = { userId: "u1", email: "ada@example.com", name: null, device: "Firefox on Linux", at };
    for (const text of ATTACKER_TEXT) {
      const mail = newDeviceMail({ ...alert, ip: text }, "https://app.example.com");
      expect(mail.text).toContain("Where: Firefox on Linux\n");
      if (text.trim()) expect(mail.text).not.toContain(text);
    }
  });

  it("the devices list and the activity (rows stored before addresses were checked)", () => {
    for (const text of ATTACKER_TEXT) {
      const session = {
        id: "s1",
        deviceName: null,
        browser: null,
        os: null,
        deviceType: null,
        createdAt: at,
        lastActiveAt: at,
        signInMethod: "password",
        amr: ["pwd"],
      };
      expect(toSessionView({ ...session, ip: text }, "s1").ip).toBeNull();
      const event = {
        id: "1",
        type: "signed_in",
        reason: null,
        sessionId: "s1",
        actorSessionId: null,
        device: "Firefox on Linux",
        actorDevice: null,
        newDevice: false,
        mailUnverified: false,
        createdAt: at,
      };
      expect(describeActivity({ ...event, ip: text }, "s1").ip).toBeNull();
    }
  });
});
