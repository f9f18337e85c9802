import { otherMethods } from "@/server/http/method-not-allowed";
import { publicJson } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";

/** Public keys for anyone verifying our access tokens. Cacheable: keys change only by rotation. */
export const GET = apiRoute(async ({ services }) => publicJson(services.keyRing.publicJwks));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
