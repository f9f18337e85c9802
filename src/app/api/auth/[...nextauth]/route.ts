import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/next-auth-options";
import { errorJson, unexpectedErrorResponse } from "@/server/http/errors";
import { otherMethods } from "@/server/http/method-not-allowed";
import { withNosniff } from "@/server/http/responses";
import { getServices } from "@/server/services";

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth's endpoints (csrf, callback/credentials, signout, session), with options built from our
 * services. Its own failures (an unknown action, a body it cannot parse) answer plain text or a bare
 * 500: they are turned into the API's JSON errors here.
 */
async function handler(request: NextRequest, context: Context): Promise<Response> {
  const services = await getServices();
  try {
    const response = await NextAuth(request, context, authOptions(services));
    if (response.status < 400 || (response.headers.get("content-type") ?? "").includes("json"))
      return withNosniff(response);
    return errorJson(response.status, {
      error: "invalid_request",
      error_description: "The sign-in service did not understand this request.",
    });
  } catch (error) {
    if (error instanceof SyntaxError)
      return errorJson(400, { error: "invalid_request", error_description: "The request body could not be read." });
    return unexpectedErrorResponse(error, services.logger);
  }
}

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
