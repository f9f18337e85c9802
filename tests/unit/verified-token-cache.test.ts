import { describe, expect, it, vi } from "vitest";
import { AccessTokens } from "@/core/access-tokens";
import { AuthError } from "@/core/errors";
import { generateSigningKey, loadKeyRing } from "@/core/signing-keys";
import { VerifiedTokenCache } from "@/core/verified-token-cache";
import { testConfig } from "../support/fakes";

const NOW = Date.UTC(2026, 0, 1, 12);

async function tokensWithCache(size: number) {
  const ring = await loadKeyRing([await generateSigningKey()]);
  const tokens = new AccessTokens(ring, testConfig, new VerifiedTokenCache(size));
  const issue = (sid: string) =>
    tokens
      .issue({
        userId: "u",
        email: "u@example.com",
        name: null,
        sessionId: sid,
        epoch: 0,
        emailVerified: false,
        authTimeMs: 0,
        nowMs: NOW,
        notAfterMs: NOW + 86_400_000,
      })
      .then((t) => t.token);
  return { tokens, issue };
}

describe("the verified-token cache", () => {
  it("verifies a token's signature once, and still checks its expiry on every use", async () => {
    const { tokens, issue } = await tokensWithCache(100);
    const token = await issue("s1");
    const spy = vi.spyOn(tokens as unknown as { verifyAt: (t: string, n: number) => Promise<unknown> }, "verifyAt");
    await tokens.verify(token, NOW);
    await tokens.verify(token, NOW + 1000);
    await tokens.verify(token, NOW + 2000);
    expect(spy).toHaveBeenCalledTimes(1);
    const late = await tokens
      .verify(token, NOW + (testConfig.accessTokenTtlSeconds + testConfig.clockToleranceSeconds + 1) * 1000)
      .catch((e: AuthError) => e);
    expect(late).toMatchObject({ code: "invalid_token", message: expect.stringMatching(/expired/) });
  });

  it("never serves a tampered token from the cache, and stays within its size", async () => {
    const { tokens, issue } = await tokensWithCache(3);
    const token = await issue("s1");
    await tokens.verify(token, NOW);
    const tampered = token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA");
    await expect(tokens.verify(tampered, NOW)).rejects.toMatchObject({ code: "invalid_token" });
    for (const sid of ["a", "b", "c", "d", "e"]) await tokens.verify(await issue(sid), NOW);
    expect(tokens.cache.size).toBe(3);
  });
});
