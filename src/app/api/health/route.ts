import { errorMessage } from "@/core/errors";
import { otherMethods } from "@/server/http/method-not-allowed";
import { errorJson } from "@/server/http/errors";
import { respond } from "@/server/http/responses";
import { healthResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";
import { engineText } from "@/core/messages";
import { localeOfHeaders } from "@/server/http/request-language";

export const dynamic = "force-dynamic";

/** Liveness plus a database round trip: a load balancer stops sending traffic to an instance that cannot serve. */
export const GET = apiRoute(async ({ request, services }) => {
  const { database, store, logger } = services;
  try {
    await database.ping();
  } catch (error) {
    logger.error("health_database_unreachable", { error: errorMessage(error) });
    return errorJson(
      503,
      { error: "temporarily_unavailable", error_description: engineText("unavailable.databaseHealth") },
      { "Retry-After": "5" },
      localeOfHeaders(request.headers),
    );
  }
  return respond(healthResponseSchema, { status: "ok", database: database.kind, revocationStore: store.kind });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
