import { otherMethods } from "@/server/http/method-not-allowed";
import { AuthError } from "@/core/errors";
import { noContent } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import { sessionIdSchema } from "@/server/http/schemas";

export const DELETE = apiRoute<{ id: string }>(async ({ services, requireAuth }, { id }) => {
  const claims = await requireAuth();
  if (!sessionIdSchema.safeParse(id).success) throw new AuthError("not_found", "No such active session.");
  await services.engine.revokeSession(claims, id);
  return noContent();
});

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
