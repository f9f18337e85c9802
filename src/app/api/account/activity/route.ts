import { parseInput } from "@/core/validation";
import { activityQuerySchema, activityResponseSchema } from "@/server/http/activity-schemas";
import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** The caller's security activity, newest first, one keyset page at a time (Bearer). */
export const GET = apiRoute(async ({ request, services, requireAuth }) => {
  const claims = await requireAuth();
  const query = parseInput(activityQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return respond(
    activityResponseSchema,
    await services.activity.page({ userId: claims.sub, sessionId: claims.sid }, query),
  );
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
