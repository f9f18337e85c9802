import { describe, expect, it } from "vitest";
import { newSessionId } from "@/core/ids";
import { RefreshTokens, parseRefreshToken } from "@/core/refresh-tokens";

describe("refresh tokens", () => {
  const tokens = new RefreshTokens("a-secret-of-at-least-32-characters!!");

  it("carry their session id and 256 random bits", () => {
    const sid = newSessionId();
    const a = tokens.mint(sid);
    const b = tokens.mint(sid);
    expect(a).not.toBe(b);
    expect(parseRefreshToken(a)).toEqual({ sessionId: sid });
  });

  it("derive one successor per token, different under another secret", () => {
    const token = tokens.mint(newSessionId());
    expect(tokens.successor(token)).toBe(tokens.successor(token));
    expect(tokens.successor(token)).not.toBe(token);
    expect(parseRefreshToken(tokens.successor(token))).toEqual(parseRefreshToken(token));
    expect(new RefreshTokens("another-secret-of-at-least-32-chars!!").successor(token)).not.toBe(
      tokens.successor(token),
    );
  });

  it("store only a hash", () => {
    const token = tokens.mint(newSessionId());
    expect(tokens.hash(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokens.hash(token)).not.toContain(token.split(".")[1]);
  });

  it("parse nothing but the exact format", () => {
    const token = tokens.mint(newSessionId());
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
