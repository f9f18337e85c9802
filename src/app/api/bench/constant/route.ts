import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { benchmarkRoute } from "../benchmark-route";

/**
 * The benchmark's floor: a route handler of this app that does nothing (apiRoute, one await for the
 * services, a constant JSON body) and is not behind the proxy, like /api/me. What /api/me serves
 * beyond this is the price of its token and revocation check. Only when BENCHMARK_ROUTES=1.
 */
export const GET = benchmarkRoute(async () => respond(emptyResponseSchema, {}));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
