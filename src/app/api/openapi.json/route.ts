import { cookieNames } from "@/server/auth/cookies";
import { otherMethods } from "@/server/http/method-not-allowed";
import { publicJson } from "@/server/http/responses";
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
  return publicJson(cached.document);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
