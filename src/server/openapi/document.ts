import { z } from "zod";
import {
  errorBodySchema,
  jwksSchema,
  meResponseSchema,
  nextAuthUrlSchema,
  publicUserSchema,
  sessionViewSchema,
  tokenResponseSchema,
} from "../http/response-schemas";
import { operations, TAGS, type Operation, type ResponseSpec, type Security } from "./operations";

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from `operations` and the zod schemas they
 * name: requests are described as zod reads them (`io: "input"`), responses as the routes build
 * them (`io: "output"`). Nothing here restates a shape by hand.
 */
export interface OpenApiOptions {
  /** Where the API is served (APP_URL). */
  serverUrl: string;
  /** The session cookie's name (it differs over https: `__Host-` prefix). */
  sessionCookie: string;
}

type JsonSchema = Record<string, unknown>;
type Registry = ReturnType<typeof z.registry<{ id: string }>>;

const COMPONENT = (id: string) => `#/components/schemas/${id}`;
const NAMED_RESPONSES: [z.ZodType, string][] = [
  [errorBodySchema, "Error"],
  [tokenResponseSchema, "TokenResponse"],
  [publicUserSchema, "User"],
  [sessionViewSchema, "Session"],
  [meResponseSchema, "Me"],
  [jwksSchema, "JsonWebKeySet"],
  [nextAuthUrlSchema, "NextAuthRedirect"],
];

const SECURITY_SCHEMES = (sessionCookie: string) => ({
  bearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from /api/auth/token (ES256, typ at+jwt). Checked for revocation on every request.",
  },
  basic: { type: "http", scheme: "basic", description: "A client id and secret (RFC 6749 §2.3.1)." },
  cookie: {
    type: "apiKey",
    in: "cookie",
    name: sessionCookie,
    description: "The browser's httpOnly session cookie, set by next-auth's sign-in.",
  },
});

export function buildOpenApiDocument(options: OpenApiOptions): Record<string, unknown> {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  for (const [schema, id] of NAMED_RESPONSES) responses.add(schema, { id });
  for (const operation of operations) {
    const base = operation.operationId[0]!.toUpperCase() + operation.operationId.slice(1);
    if (operation.request) register(requests, operation.request.schema, `${base}Request`);
    for (const [status, spec] of Object.entries(operation.responses)) {
      if (spec.schema)
        register(responses, spec.schema, Number(status) < 300 ? `${base}Response` : `${base}Response${status}`);
    }
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    (paths[operation.path] ??= {})[operation.method] = describeOperation(operation, requests, responses);
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Revocable JWT sessions",
      version: "1.0.0",
      description:
        "Device sessions with short-lived access JWTs, rotating refresh tokens and a revocation check on every request. Errors are JSON `{error, error_description, fields?}`: `error` is a stable English code, `error_description` and `fields` follow `Accept-Language` (English or Simplified Chinese, named by `Content-Language`); a method a path does not serve answers 405 with `Allow`.",
    },
    servers: [{ url: options.serverUrl }],
    tags: Object.values(TAGS).map((name) => ({ name })),
    paths,
    components: {
      schemas: { ...convert(requests, "input"), ...convert(responses, "output") },
      securitySchemes: SECURITY_SCHEMES(options.sessionCookie),
    },
  };
}

function register(registry: Registry, schema: z.ZodType, id: string): void {
  if (!registry.has(schema)) registry.add(schema, { id });
}

function convert(registry: Registry, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: COMPONENT, unrepresentable: "any" }) as {
    schemas: Record<string, JsonSchema>;
  };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

function inline(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return json;
}

function ref(registry: Registry, schema: z.ZodType): JsonSchema {
  return { $ref: COMPONENT(registry.get(schema)!.id) };
}

function describeOperation(operation: Operation, requests: Registry, responses: Registry): Record<string, unknown> {
  const parameters = [
    ...Object.entries(operation.pathParams ?? {}).map(([name, schema]) => ({
      name,
      in: "path",
      required: true,
      schema: inline(schema),
    })),
    ...Object.entries(operation.query?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: "query",
      required: !(schema as z.ZodType).safeParse(undefined).success,
      schema: inline(schema as z.ZodType),
    })),
  ];
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    security: securityOf(operation.security),
    ...(parameters.length ? { parameters } : {}),
    ...(operation.request
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              operation.request.contentTypes.map((type) => [
                type,
                { schema: ref(requests, operation.request!.schema) },
              ]),
            ),
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(operation.responses).map(([status, spec]) => [
        status,
        describeResponse(Number(status), spec, responses),
      ]),
    ),
  };
}

const ERROR_HEADERS: Record<number, Record<string, string>> = {
  401: {
    "WWW-Authenticate":
      'Bearer error="invalid_token" (RFC 6750 §3), or Basic realm="introspection" for client authentication.',
  },
  405: { Allow: "The methods this path serves." },
  429: { "Retry-After": "Seconds until a retry may succeed." },
  503: { "Retry-After": "Seconds to wait (5)." },
};

/** Every error body's sentences are in the request's language, and say so. */
const CONTENT_LANGUAGE = {
  "Content-Language":
    "The language of `error_description` and `fields`: `en` or `zh-CN`, chosen by the NEXT_LOCALE cookie, else `Accept-Language`, else English.",
};

function describeResponse(status: number, spec: ResponseSpec, responses: Registry): Record<string, unknown> {
  const schema = spec.errorBody
    ? ref(responses, errorBodySchema)
    : spec.schema
      ? ref(responses, spec.schema)
      : undefined;
  const contentType = spec.contentType ?? (schema ? "application/json" : undefined);
  const headers = spec.errorBody ? { ...(spec.headers ?? ERROR_HEADERS[status]), ...CONTENT_LANGUAGE } : spec.headers;
  return {
    description: spec.description,
    ...(headers
      ? {
          headers: Object.fromEntries(
            Object.entries(headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
          ),
        }
      : {}),
    ...(contentType ? { content: { [contentType]: schema ? { schema } : {} } } : {}),
  };
}

function securityOf(security: Security): Record<string, string[]>[] {
  return security === "none" ? [] : [{ [security]: [] }];
}
