import { otherMethods } from "@/server/http/method-not-allowed";
import { respond } from "@/server/http/responses";
import { emptyResponseSchema } from "@/server/http/response-schemas";
import { apiRoute } from "@/server/http/route";

/** Mails a fresh verification link to the caller's address (the older link dies); limited per account. */
export const POST = apiRoute(async ({ services, requireAuth }) => {
  const claims = await requireAuth();
  await services.engine.sendVerificationEmail(claims);
  return respond(emptyResponseSchema, {}, 202);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
