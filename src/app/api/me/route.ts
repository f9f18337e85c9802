import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { meResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  const user = services.engine.getUser(claims);
  return respond(meResponseSchema, { user, session: { id: claims.sid } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
