import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/server/openapi/document";
import { Api } from "../../scripts/lib/api-client";
import { conformanceProblems, documentedPath, openApiDocument } from "../support/openapi-conformance";
import { checkedResponses } from "../support/openapi-fetch-hook";
import { startTestApp, type TestApp } from "../../scripts/lib/test-app";

let testApp: TestApp;
let api: Api;

beforeAll(async () => {
  testApp = await startTestApp("openapi");
  api = new Api(testApp.app.url);
});

afterAll(async () => {
  await testApp?.stop();
});

const APP_DIR = path.join(process.cwd(), "src", "app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route module of the app: its URL template and the methods it really serves (not its 405 stubs). */
function routesOnDisk(): { template: string; file: string; methods: string[] }[] {
  const routes: { template: string; file: string; methods: string[] }[] = [];
  for (const entry of readdirSync(APP_DIR, { recursive: true, encoding: "utf8" })) {
    if (path.basename(entry) !== "route.ts") continue;
    const source = readFileSync(path.join(APP_DIR, entry), "utf8");
    const stubs = new Set(
      [...source.matchAll(/export const \{([^}]*)\} = otherMethods\(/g)].flatMap((m) =>
        m[1]!.split(",").map((s) => s.trim()),
      ),
    );
    const exported = new Set([
      ...[...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map(
        (m) => m[1]!,
      ),
      ...[...source.matchAll(/export \{([^}]*)\}/g)].flatMap((m) =>
        [...m[1]!.matchAll(/\bas (GET|POST|PUT|PATCH|DELETE)\b/g)].map((n) => n[1]!),
      ),
    ]);
    const segments = path
      .dirname(entry)
      .split(path.sep)
      .filter((segment) => !/^\(.*\)$/.test(segment)) // route groups are not in the URL
      .map((segment) => segment.replace(/^\[\[?\.\.\.(\w+)\]\]?$/, "{...$1}").replace(/^\[(\w+)\]$/, "{$1}"));
    routes.push({
      template: `/${segments.join("/")}`,
      file: entry,
      methods: METHODS.filter((m) => exported.has(m) && !stubs.has(m)),
    });
  }
  return routes;
}

const documented = Object.entries(openApiDocument.paths).flatMap(([template, operations]) =>
  Object.keys(operations).map((method) => ({ template, method: method.toUpperCase() })),
);

describe("the OpenAPI document", () => {
  it("is served at /api/openapi.json, generated for this deployment, and is valid OpenAPI 3.1", async () => {
    const res = await fetch(`${testApp.app.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const served = (await res.json()) as Record<string, unknown>;
    expect(served).toEqual(buildOpenApiDocument({ serverUrl: testApp.app.url, sessionCookie: "rjs.session-token" }));
    const result = await new Validator().validate(served);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(served.openapi).toBe("3.1.0");
  });

  it("describes every route of the app, and nothing that is not one", () => {
    const routes = routesOnDisk();
    expect(routes.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const route of routes) {
      if (route.template === "/api/{...path}") continue; // the JSON 404 for unknown API paths
      for (const method of route.methods) {
        const covered = route.template.includes("{...")
          ? documented.some(
              (d) =>
                d.method === method && d.template.startsWith(route.template.slice(0, route.template.indexOf("{..."))),
            )
          : documented.some((d) => d.method === method && d.template === route.template);
        if (!covered) missing.push(`${method} ${route.template} (src/app/${route.file})`);
      }
    }
    expect(missing, "routes missing from the document").toEqual([]);

    const phantom = documented.filter(
      (d) =>
        !routes.some((route) => {
          if (!route.methods.includes(d.method)) return false;
          if (route.template.includes("{..."))
            return (
              route.template !== "/api/{...path}" &&
              d.template.startsWith(route.template.slice(0, route.template.indexOf("{...")))
            );
          return route.template === d.template;
        }),
    );
    expect(phantom, "documented operations with no route behind them").toEqual([]);
  });

  it("names request bodies by the zod schemas the routes parse (one definition)", () => {
    const schemas = openApiDocument.components.schemas;
    // The register form's rules (from src/core/validation.ts) reach the document unchanged.
    expect(schemas.RegisterRequest).toMatchObject({
      required: ["email", "password"],
      properties: { password: { minLength: 8, maxLength: 128 } },
    });
    expect(schemas.TokenRequest).toHaveProperty("anyOf");
    expect(schemas.TokenResponse).toMatchObject({
      additionalProperties: false,
      required: ["access_token", "token_type", "expires_in", "refresh_token", "session_id"],
    });
  });
});

describe("the response check every integration test runs", () => {
  it("is active: this file's own calls were checked", async () => {
    const before = checkedResponses.count;
    expect((await api.call("GET", "/api/health")).status).toBe(200);
    expect(checkedResponses.count).toBe(before + 1);
  });

  it("refuses a body, a status, a content type or an Allow header the document does not describe", () => {
    const token = { method: "POST", pathname: "/api/auth/token", contentType: "application/json", allow: null };
    expect(
      conformanceProblems({
        ...token,
        status: 200,
        body: JSON.stringify({
          access_token: "a",
          token_type: "Bearer",
          expires_in: 900,
          refresh_token: "r",
          session_id: "s",
        }),
      }),
    ).toEqual([]);
    // A missing field, an extra field, a wrong type:
    expect(
      conformanceProblems({
        ...token,
        status: 200,
        body: JSON.stringify({ access_token: "a", token_type: "Bearer", expires_in: 900, refresh_token: "r" }),
      }),
    ).toHaveLength(1);
    expect(
      conformanceProblems({
        ...token,
        status: 200,
        body: JSON.stringify({
          access_token: "a",
          token_type: "Bearer",
          expires_in: 900,
          refresh_token: "r",
          session_id: "s",
          secret: 1,
        }),
      }),
    ).toHaveLength(1);
    expect(
      conformanceProblems({
        ...token,
        status: 200,
        body: JSON.stringify({
          access_token: "a",
          token_type: "bearer",
          expires_in: 900,
          refresh_token: "r",
          session_id: "s",
        }),
      }),
    ).toHaveLength(1);
    // A 500 is never documented; an HTML error page is not JSON.
    expect(
      conformanceProblems({
        ...token,
        status: 500,
        body: JSON.stringify({ error: "server_error", error_description: "x" }),
      }),
    ).toHaveLength(1);
    expect(conformanceProblems({ ...token, status: 400, contentType: "text/html", body: "<html>" })).toHaveLength(1);
    // An error code outside the closed set:
    expect(
      conformanceProblems({ ...token, status: 400, body: JSON.stringify({ error: "oops", error_description: "x" }) }),
    ).toHaveLength(1);
    // A 405 must name the documented methods in Allow.
    const wrongMethod = {
      method: "GET",
      pathname: "/api/auth/token",
      status: 405,
      contentType: "application/json",
      body: JSON.stringify({ error: "method_not_allowed", error_description: "x" }),
    };
    expect(conformanceProblems({ ...wrongMethod, allow: "POST" })).toEqual([]);
    expect(conformanceProblems({ ...wrongMethod, allow: "PUT" })).toHaveLength(1);
    // Unknown API paths answer JSON errors.
    expect(
      conformanceProblems({
        method: "GET",
        pathname: "/api/nope",
        status: 404,
        contentType: "application/json",
        allow: null,
        body: JSON.stringify({ error: "not_found", error_description: "x" }),
      }),
    ).toEqual([]);
    expect(
      conformanceProblems({
        method: "GET",
        pathname: "/api/nope",
        status: 200,
        contentType: "application/json",
        allow: null,
        body: "{}",
      }),
    ).toHaveLength(1);
    expect(documentedPath("/api/sessions/abc")).toBe("/api/sessions/{id}");
  });

  it("the app's answers to every documented operation without credentials match the document", async () => {
    // Each call goes through the checking fetch; afterEach fails this test on any mismatch.
    for (const { template, method } of documented) {
      const url = template.replace("{id}", "no-such-session");
      const res = await fetch(`${testApp.app.url}${url}`, {
        method,
        redirect: "manual",
        headers: method === "GET" ? {} : { "content-type": "application/json" },
        body: method === "GET" ? undefined : "{}",
      });
      expect(res.status, `${method} ${url}`).toBeLessThan(500);
      await res.body?.cancel();
    }
  });
});
