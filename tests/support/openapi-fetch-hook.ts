import { afterAll, afterEach, expect } from "vitest";
import { conformanceProblems, isApiPath } from "./openapi-conformance";

/**
 * Integration-test setup: every response the tests get from the app's API through fetch is checked
 * against the OpenAPI document, and must carry `X-Content-Type-Options: nosniff`; a test that saw
 * one that does not match fails, naming it.
 */
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const STANDARD_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const problems: string[] = [];
export const checkedResponses = { count: 0 };

const originalFetch = globalThis.fetch;
globalThis.fetch = async function conformingFetch(
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  const response = await originalFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (!LOCAL_HOSTS.has(url.hostname) || !isApiPath(url.pathname) || !STANDARD_METHODS.has(method)) return response;
  const contentType = response.headers.get("content-type");
  const streaming = (contentType ?? "").startsWith("text/event-stream");
  const body = streaming
    ? null
    : await response
        .clone()
        .text()
        .catch(() => null);
  checkedResponses.count++;
  try {
    problems.push(
      ...conformanceProblems({
        method,
        pathname: url.pathname,
        status: response.status,
        contentType,
        allow: response.headers.get("allow"),
        body,
      }),
    );
  } catch (error) {
    problems.push(`${method} ${url.pathname}: the check itself failed: ${String(error)}`);
  }
  // Node's HTTP parser answers an oversized request line or header (431) before the app sees it.
  if (response.status !== 431 && response.headers.get("x-content-type-options") !== "nosniff") {
    problems.push(`${method} ${url.pathname} -> ${response.status}: no "X-Content-Type-Options: nosniff"`);
  }
  return response;
};

function failOnProblems(): void {
  const found = problems.splice(0);
  expect(found, "responses that do not match the OpenAPI document (/api/openapi.json) or lack nosniff").toEqual([]);
}

afterEach(failOnProblems);
// Responses seen in a file's setup and teardown count too.
afterAll(failOnProblems);
