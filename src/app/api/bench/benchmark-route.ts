import type { ApiContext } from "@/server/http/route";
import { apiRoute } from "@/server/http/route";
import { errorJson } from "@/server/http/errors";
import { engineText } from "@/core/messages";

/**
 * A benchmark-only route handler: it exists only when BENCHMARK_ROUTES=1 (never in production) and
 * answers like any unknown API path otherwise. Like every API route it runs inside apiRoute.
 */
export function benchmarkRoute(handler: (ctx: ApiContext) => Promise<Response>) {
  return apiRoute(async (ctx) => {
    if (!ctx.services.env.BENCHMARK_ROUTES)
      return errorJson(404, { error: "not_found", error_description: engineText("request.noSuchEndpoint") });
    return handler(ctx);
  });
}
