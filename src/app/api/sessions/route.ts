import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { sessionsResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  return respond(sessionsResponseSchema, { sessions: await services.engine.listSessions(claims) });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
