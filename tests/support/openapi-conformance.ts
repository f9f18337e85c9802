import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { buildOpenApiDocument } from "@/server/openapi/document";

/**
 * Checks an HTTP response against the OpenAPI document: a documented path and method must answer a
 * documented status, with the documented content type and a body valid against its schema; a
 * method the path does not serve must be a JSON 405 whose Allow lists the documented methods;
 * anything else under /api must be a JSON error. Used on every response the integration tests see
 * (tests/support/openapi-fetch-hook.ts).
 */
type Json = Record<string, unknown>;
interface ResponseDoc {
  content?: Record<string, { schema?: Json }>;
}
interface OperationDoc {
  responses: Record<string, ResponseDoc>;
}

export const openApiDocument = buildOpenApiDocument({
  serverUrl: "http://127.0.0.1",
  sessionCookie: "rjs.session-token",
}) as Json & {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, Json> };
};

const ajv = new Ajv2020({ strict: true, allErrors: true, strictTuples: false });
addFormats(ajv);
ajv.addKeyword("example");
const validators = new Map<Json, ValidateFunction>();
/** Component references, rewritten to point into the schemas registered with ajv. */
const withLocalRefs = (schema: Json) =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi#/$defs/')) as Json;
ajv.addSchema({ $id: "openapi", $defs: withLocalRefs(openApiDocument.components.schemas) });

function validatorFor(schema: Json): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validators.set(schema, (validate = ajv.compile(withLocalRefs(schema))));
  }
  return validate;
}

const templates = Object.keys(openApiDocument.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

export function documentedPath(pathname: string): string | undefined {
  return templates.find(({ pattern }) => pattern.test(pathname))?.template;
}

/** Paths the conformance check looks at: the app's API and its JWKS (not pages, not other services). */
export function isApiPath(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname.startsWith("/.well-known/");
}

export interface ObservedResponse {
  method: string;
  pathname: string;
  status: number;
  contentType: string | null;
  allow: string | null;
  /** Null when the body was not read (an event stream). */
  body: string | null;
}

/** Problems with one response; empty when it matches the document. */
export function conformanceProblems(response: ObservedResponse): string[] {
  const where = `${response.method} ${response.pathname} -> ${response.status}`;
  // Node's HTTP parser refuses an oversized request line or header before the app sees it.
  if (response.status === 431) return [];
  const template = documentedPath(response.pathname);
  const errorSchema = { $ref: "#/components/schemas/Error" };
  if (!template) {
    // The API's catch-all: unknown paths answer JSON errors, never HTML or a 500.
    if (![400, 403, 404, 405, 413, 503].includes(response.status))
      return [`${where}: undocumented path answered ${response.status}`];
    return checkBody(where, response, "application/json", errorSchema);
  }
  const operations = openApiDocument.paths[template]!;
  const operation = operations[response.method.toLowerCase()];
  if (!operation) {
    const problems: string[] = [];
    // A path the proxy cannot decode is refused (400) before any route is chosen.
    if (response.status === 400) return checkBody(where, response, "application/json", errorSchema);
    if (response.status !== 405) return [`${where}: method not documented for ${template}, expected 405`];
    const allowed = new Set((response.allow ?? "").split(",").map((m) => m.trim().toLowerCase()));
    for (const method of Object.keys(operations)) {
      if (!allowed.has(method))
        problems.push(`${where}: Allow "${response.allow}" lacks documented ${method.toUpperCase()}`);
    }
    return [...problems, ...checkBody(where, response, "application/json", errorSchema)];
  }
  const documented = operation.responses[String(response.status)];
  if (!documented)
    return [
      `${where}: status not documented for ${response.method} ${template} (documented: ${Object.keys(operation.responses).join(", ")})`,
    ];
  const [contentType, media] = Object.entries(documented.content ?? {})[0] ?? [];
  if (!contentType) {
    return response.body ? [`${where}: documented without a body, got ${response.body.slice(0, 80)}`] : [];
  }
  return checkBody(where, response, contentType, media?.schema);
}

function checkBody(where: string, response: ObservedResponse, contentType: string, schema: Json | undefined): string[] {
  const actualType = (response.contentType ?? "").split(";")[0]!.trim();
  if (actualType !== contentType) return [`${where}: content type "${actualType}", documented "${contentType}"`];
  if (!schema || response.body === null) return [];
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return [`${where}: body is not JSON: ${response.body.slice(0, 80)}`];
  }
  const validate = validatorFor(schema);
  if (validate(body)) return [];
  const details = (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
  );
  return [`${where}: body does not match the document: ${details.join("; ")} in ${response.body.slice(0, 200)}`];
}
