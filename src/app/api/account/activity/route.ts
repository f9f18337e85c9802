import { parseInput } from "@/core/validation";
import { activityQuerySchema, type ActivityResponse } from "@/server/http/activity-schemas";
import { otherMethods } from "@/server/http/method-not-allowed";
import { json } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** The caller's security activity, newest first, one keyset page at a time (Bearer). */
export const GET = apiRoute(async ({ request, services, requireAuth }) => {
  const claims = await requireAuth();
  const query = parseInput(activityQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  const page: ActivityResponse = await services.activity.page({ userId: claims.sub, sessionId: claims.sid }, query);
  return json(page);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
