import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import { contentSecurityPolicy } from "@/server/http/security-headers";

/**
 * What development mode changes, and that production does not follow: the Content-Security-Policy
 * that Next's development tools need, and APP_URL's default port. The browser side (no console error
 * under `next dev`, the port) is tests/integration/dev-mode.test.ts.
 */
const secrets = { AUTH_SECRET: "x".repeat(40), JWT_SIGNING_KEYS: '{"keys":[]}' };
const NONCE = "bm9uY2U=";

function directives(policy: string): Map<string, string> {
  return new Map(policy.split("; ").map((d) => [d.split(" ")[0]!, d.slice(d.indexOf(" ") + 1)]));
}

describe("Content-Security-Policy", () => {
  it("in production: scripts and styles by nonce only, no eval, no inline", () => {
    const env = parseEnv({ NODE_ENV: "production", APP_URL: "https://sessions.example.com", ...secrets });
    expect(contentSecurityPolicy(env, NONCE)).toBe(
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'`,
        `style-src 'self' 'nonce-${NONCE}'`,
        "img-src 'self' blob: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
      ].join("; "),
    );
  });

  it("under test as in production", () => {
    const test = directives(contentSecurityPolicy(parseEnv({ NODE_ENV: "test" }), NONCE));
    const production = directives(contentSecurityPolicy(parseEnv({ NODE_ENV: "production", ...secrets }), NONCE));
    expect(test).toEqual(production);
  });

  it("in development: eval for React's error stacks and inline styles for Next's tools, nothing else", () => {
    const development = directives(contentSecurityPolicy(parseEnv({ NODE_ENV: "development" }), NONCE));
    const production = directives(contentSecurityPolicy(parseEnv({ NODE_ENV: "production", ...secrets }), NONCE));
    expect(development.get("script-src")).toBe(`'self' 'nonce-${NONCE}' 'strict-dynamic' 'unsafe-eval'`);
    // A nonce next to 'unsafe-inline' would make browsers ignore 'unsafe-inline'.
    expect(development.get("style-src")).toBe("'self' 'unsafe-inline'");
    for (const name of ["script-src", "style-src"]) {
      development.delete(name);
      production.delete(name);
    }
    expect(development).toEqual(production);
  });
});

describe("APP_URL's default", () => {
  it("in development: localhost on the port next dev listens on (PORT), 3000 without one", () => {
    expect(parseEnv({ NODE_ENV: "development", PORT: "3001" }).APP_URL).toBe("http://localhost:3001");
    expect(parseEnv({ PORT: "4123" }).APP_URL).toBe("http://localhost:4123");
    expect(parseEnv({ NODE_ENV: "development" }).APP_URL).toBe("http://localhost:3000");
  });

  it("never overrides an APP_URL (or NEXTAUTH_URL) that is set", () => {
    const set = { NODE_ENV: "development", PORT: "3001" };
    expect(parseEnv({ ...set, APP_URL: "http://localhost:3000" }).APP_URL).toBe("http://localhost:3000");
    expect(parseEnv({ ...set, NEXTAUTH_URL: "http://app.test" }).APP_URL).toBe("http://app.test");
  });

  it("outside development: http://localhost:3000 whatever the port", () => {
    expect(parseEnv({ NODE_ENV: "production", PORT: "3001", ...secrets }).APP_URL).toBe("http://localhost:3000");
    expect(parseEnv({ NODE_ENV: "test", PORT: "3001" }).APP_URL).toBe("http://localhost:3000");
  });

  it("refuses a PORT that is not one", () => {
    expect(() => parseEnv({ PORT: "http" })).toThrow(/PORT/);
  });
});
