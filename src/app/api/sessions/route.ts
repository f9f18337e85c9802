import { otherMethods } from "@/server/http/method-not-allowed";
import { json } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  return json({ sessions: await services.engine.listSessions(claims) });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
