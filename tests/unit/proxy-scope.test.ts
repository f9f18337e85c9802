import { readFileSync } from "node:fs";
import path from "node:path";
import { tryToParsePath } from "next/dist/lib/try-to-parse-path";
import { describe, expect, it } from "vitest";
import { pathsWithoutProxy, proxyMatcherSource } from "@/server/auth/proxy-scope";
import { operations } from "@/server/openapi/operations";

/** The `source` of src/proxy.ts's matcher, as written (Next reads it from the file at build time). */
function writtenSource(): string {
  const text = readFileSync(path.join(process.cwd(), "src", "proxy.ts"), "utf8");
  const literal = /\bsource:\s*("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
  if (!literal) throw new Error("src/proxy.ts has no matcher source");
  return JSON.parse(literal) as string;
}

/** Whether the proxy runs for a path: Next tests the raw path and, when it decodes, the decoded one. */
function proxied(pathname: string): boolean {
  const { regexStr, error } = tryToParsePath(writtenSource());
  if (error || !regexStr) throw new Error(`the matcher does not parse: ${String(error)}`);
  const regexp = new RegExp(regexStr);
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Next matches the raw path alone.
  }
  return regexp.test(pathname) || regexp.test(decoded);
}

describe("where the proxy runs", () => {
  it("is written in src/proxy.ts exactly as derived from the declared API operations", () => {
    expect(writtenSource()).toBe(proxyMatcherSource());
  });

  it("leaves out every Bearer operation and the read-only routes of our own, and nothing else", () => {
    const skipped = pathsWithoutProxy();
    for (const operation of operations.filter((o) => o.security === "bearer"))
      expect(skipped).toContain(operation.path);
    expect(skipped).toEqual(
      expect.arrayContaining(["/api/health", "/api/openapi.json", "/api/session/events", "/api/bench/constant"]),
    );
    for (const kept of [
      "/api/auth/token",
      "/api/auth/register",
      "/api/auth/revoke",
      "/api/auth/introspect",
      "/api/auth/password-reset",
      "/api/auth/password-reset/confirm",
      "/api/auth/verify-email",
    ])
      expect(skipped).not.toContain(kept);
    // next-auth's catch-all serves every method below /api/auth/, its GET paths included.
    for (const kept of ["/api/auth/session", "/api/auth/csrf", "/api/auth/providers", "/api/auth/signout"])
      expect(skipped).not.toContain(kept);
  });

  it("does not run for Bearer APIs and read-only routes", () => {
    for (const pathname of [
      "/api/me",
      "/api/sessions",
      "/api/sessions/Ab3_x-9",
      "/api/account/activity",
      "/api/account/password",
      "/api/account/email",
      "/api/account/email/verification",
      "/api/account",
      "/api/auth/logout",
      "/api/session/events",
      "/api/health",
      "/api/openapi.json",
      "/.well-known/jwks.json",
      "/api/bench/stateless",
      "/api/bench/constant",
    ])
      expect(proxied(pathname), pathname).toBe(false);
  });

  it("runs for pages, next-auth, the other POST endpoints, unknown and undecodable paths", () => {
    for (const pathname of [
      "/",
      "/login",
      "/devices",
      "/settings/password",
      "/api/auth/signout",
      "/api/auth/callback/credentials",
      "/api/auth/session",
      "/api/auth/token",
      "/api/auth/register",
      "/api/auth/password-reset",
      "/api/auth/password-reset/confirm",
      "/api/auth/verify-email",
      "/api/accountx",
      "/api/account/email/x",
      "/api/nope",
      "/api/mex",
      "/api/me/x",
      "/api/sessions/a/b",
      "/api/me/%zz",
      "/api/sessions/%zz",
      "/api/sessions/%E0%A4%A",
      "/api/%zz",
      "/.well-known/jwksXjson",
    ])
      expect(proxied(pathname), pathname).toBe(true);
    expect(proxied("/_next/static/chunks/app.js")).toBe(false);
  });
});
