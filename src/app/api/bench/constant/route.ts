import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { benchmarkRoute } from "../benchmark-route";

/**
 * The benchmark's floor: a route handler of this app that does nothing but wait once (apiRoute, one
 * turn of the event loop, like a handler waiting on one I/O, then a constant JSON body) and is not
 * behind the proxy, like /api/me. What /api/me costs beyond this is the price of its token and
 * revocation check. Without the wait this route measured slower than /api/me on Redis (about 1,100
 * against 1,400 req/s on 2 cores), so it would be no floor. Only when BENCHMARK_ROUTES=1.
 */
export const GET = benchmarkRoute(async () => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return respond(emptyResponseSchema, {});
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
