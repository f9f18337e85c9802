import { otherMethods } from "@/server/http/method-not-allowed";
import { json } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

export const GET = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  const user = services.engine.getUser(claims);
  return json({ user, session: { id: claims.sid } });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
