import { cookieNames } from "@/server/auth/cookies";
import { otherMethods } from "@/server/http/method-not-allowed";
import { apiRoute } from "@/server/http/route";
import { buildOpenApiDocument } from "@/server/openapi/document";

let cached: { key: string; document: Record<string, unknown> } | undefined;

/** The OpenAPI 3.1 description of this API, generated from the zod schemas the routes use. */
export const GET = apiRoute(async ({ services }) => {
  const key = services.env.APP_URL;
  if (cached?.key !== key) {
    cached = {
      key,
      document: buildOpenApiDocument({ serverUrl: key, sessionCookie: cookieNames(services.env).session }),
    };
  }
  return Response.json(cached.document, { headers: { "Cache-Control": "public, max-age=300" } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
