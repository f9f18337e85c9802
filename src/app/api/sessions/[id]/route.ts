import { otherMethods } from "@/server/http/method-not-allowed";
import { noContent } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

export const DELETE = apiRoute<{ id: string }>(async ({ services, requireAuth }, { id }) => {
  const claims = await requireAuth();
  await services.engine.revokeSession(claims, id);
  return noContent();
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
