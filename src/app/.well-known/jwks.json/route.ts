import { otherMethods } from "@/server/http/method-not-allowed";
import { apiRoute } from "@/server/http/route";

/** Public keys for anyone verifying our access tokens. Cacheable: keys change only by rotation. */
export const GET = apiRoute(async ({ services }) =>
  Response.json(services.keyRing.publicJwks, { headers: { "Cache-Control": "public, max-age=300" } }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
