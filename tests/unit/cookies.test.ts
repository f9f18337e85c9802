import { describe, expect, it } from "vitest";
import { clearSessionCookies, cookieNames, cookieOptions, writeSessionCookies } from "@/server/auth/cookies";
import { parseEnv } from "@/server/env";

const secrets = { AUTH_SECRET: "x".repeat(40), JWT_SIGNING_KEYS: '{"keys":[]}' };

describe("session cookies", () => {
  it("are __Host- prefixed and Secure over https, httpOnly and SameSite=Lax always", () => {
    const production = parseEnv({ NODE_ENV: "production", APP_URL: "https://sessions.example.com", ...secrets });
    expect(cookieNames(production)).toEqual({
      session: "__Host-rjs.session-token",
      refresh: "__Host-rjs.refresh-token",
      secure: true,
    });
    expect(cookieOptions(production)).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true, path: "/" });
    const development = parseEnv({ NODE_ENV: "development" });
    expect(cookieNames(development)).toMatchObject({ session: "rjs.session-token", secure: false });
    expect(cookieOptions(development)).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false });
  });

  it("are written and cleared together", () => {
    const env = parseEnv({});
    const jar = new Map<string, { value: string; maxAge?: number }>();
    const cookieJar = {
      set: (name: string, value: string, options: { maxAge?: number }) =>
        jar.set(name, { value, maxAge: options.maxAge }),
    };
    writeSessionCookies(cookieJar, env, { accessToken: "a", refreshToken: "r" });
    expect([...jar.values()].map((c) => c.value)).toEqual(["a", "r"]);
    clearSessionCookies(cookieJar, env);
    expect([...jar.values()]).toEqual([
      { value: "", maxAge: 0 },
      { value: "", maxAge: 0 },
    ]);
  });

  it("refuse to boot production without its secrets", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET[\s\S]*JWT_SIGNING_KEYS/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });
});
