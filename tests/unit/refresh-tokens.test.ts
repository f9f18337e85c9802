import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newSessionId } from "@/core/ids";
import { RefreshTokens, parseRefreshToken } from "@/core/refresh-tokens";

describe("refresh tokens", () => {
  const tokens = new RefreshTokens("a-secret-of-at-least-32-characters!!");

  it("carry their session id, a 128-bit random nonce and a tag", () => {
    const sid = newSessionId();
    const a = tokens.mint(sid, 0);
    const b = tokens.mint(sid, 0);
    expect(a).not.toBe(b);
    expect(parseRefreshToken(a)).toEqual({ sessionId: sid });
  });

  it("derive one successor per token, different under another secret", () => {
    const token = tokens.mint(newSessionId(), 0);
    expect(tokens.successor(token, 0)).toBe(tokens.successor(token, 0));
    expect(tokens.successor(token, 0)).not.toBe(token);
    expect(parseRefreshToken(tokens.successor(token, 0))).toEqual(parseRefreshToken(token));
    expect(new RefreshTokens("another-secret-of-at-least-32-chars!!").successor(token, 0)).not.toBe(
      tokens.successor(token, 0),
    );
  });

  it("tell every generation of a session's chain from a forged token, by the tag alone", () => {
    const sid = newSessionId();
    const chain = [tokens.mint(sid, 0)];
    for (let i = 0; i < 5; i++) chain.push(tokens.successor(chain[chain.length - 1]!, 0));
    expect(chain.every((token) => tokens.isGenuine(token, 0))).toBe(true);

    const other = newSessionId();
    const token = chain[0]!;
    const secret = token.slice(23);
    const flipped = (secret[0] === "A" ? "B" : "A") + secret.slice(1);
    for (const forged of [
      `${sid}.${randomBytes(32).toString("base64url")}`,
      `${sid}.${flipped}`, // the nonce changed, the tag kept
      `${other}.${secret}`, // a genuine secret under another session id
      `${sid}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`, // the last character changed
    ]) {
      expect(parseRefreshToken(forged)).not.toBeNull();
      expect(tokens.isGenuine(forged, 0)).toBe(false);
    }
    expect(new RefreshTokens("another-secret-of-at-least-32-chars!!").isGenuine(token, 0)).toBe(false);
    expect(tokens.isGenuine(token, 1)).toBe(false); // the session has moved on to another epoch since
  });

  it("store only a hash", () => {
    const token = tokens.mint(newSessionId(), 0);
    expect(tokens.hash(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.hash(token)).not.toContain(token.split(".")[1]);
  });

  it("parse nothing but the exact format", () => {
    const token = tokens.mint(newSessionId(), 0);
    for (const bad of [
      "",
      token + "x",
      token.replace(".", "-"),
      `${token}.x`,
      "eyJhbGciOi.eyJzdWIiOi.sig",
      "a".repeat(66),
    ]) {
      expect(parseRefreshToken(bad)).toBeNull();
    }
  });
});
