import { otherMethods } from "@/server/http/method-not-allowed";
import { cookies } from "next/headers";
import { checkBrowserToken } from "@/server/auth/browser-session";
import { cookieNames } from "@/server/auth/cookies";
import { signOutStream, signedOutNow } from "@/server/auth/sign-out-stream";
import { NOSNIFF } from "@/server/http/errors";
import { apiRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
  ...NOSNIFF,
};

/** The live sign-out push for the signed-in browser (cookie-authenticated; see SessionWatcher). */
export const GET = apiRoute(async ({ request, services }) => {
  const token = (await cookies()).get(cookieNames(services.env).session)?.value;
  const check = await checkBrowserToken(services.engine, token);
  if (check.kind === "signed_out") return new Response(signedOutNow(check.reason), { headers: SSE_HEADERS });
  const stream = signOutStream({
    claims: check.claims,
    feed: services.feed,
    store: services.store,
    signal: request.signal,
  });
  return new Response(stream, { headers: SSE_HEADERS });
});
export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
