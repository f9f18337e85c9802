import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { isAuthError } from "@/core/errors";
import type { Logger } from "@/core/ports";
import { authOptions } from "@/server/auth/next-auth-options";
import { readBody } from "@/server/http/body";
import { authErrorResponse, errorJson, unexpectedErrorResponse } from "@/server/http/errors";
import { otherMethods } from "@/server/http/method-not-allowed";
import { localeOfHeaders } from "@/server/http/request-language";
import { noContent, withNosniff } from "@/server/http/responses";
import { getServices } from "@/server/services";
import { engineText } from "@/core/messages";

type Context = { params: Promise<{ nextauth: string[] }> };

/** Longest reported level and code written to the log: enough for next-auth's codes (CLIENT_FETCH_ERROR). */
const CLIENT_LOG_LEVEL_CHARS = 16;
const CLIENT_LOG_CODE_CHARS = 64;

/**
 * next-auth's endpoints (csrf, callback/credentials, signout, session), with options built from our
 * services. Its own failures (an unknown action, a body it cannot parse) answer plain text or a bare
 * 500: they are turned into the API's JSON errors here.
 */
async function handler(request: NextRequest, context: Context): Promise<Response> {
  const services = await getServices();
  try {
    const { nextauth } = await context.params;
    if (request.method === "POST" && nextauth.join("/") === "_log") return await clientLog(request, services.logger);
    const response = await NextAuth(request, context, authOptions(services));
    if (response.status < 400 || (response.headers.get("content-type") ?? "").includes("json"))
      return withNosniff(response);
    return errorJson(
      response.status,
      { error: "invalid_request", error_description: engineText("request.notUnderstood") },
      {},
      localeOfHeaders(request.headers),
    );
  } catch (error) {
    const locale = localeOfHeaders(request.headers);
    if (isAuthError(error)) return authErrorResponse(error, locale);
    if (error instanceof SyntaxError)
      return errorJson(
        400,
        { error: "invalid_request", error_description: engineText("request.bodyUnreadable") },
        {},
        locale,
      );
    return unexpectedErrorResponse(error, services.logger, locale);
  }
}

/**
 * next-auth's client reports its own failures here (a session fetch that failed, say). Anyone can
 * post anything, so it never reaches next-auth's logger, whose lines are the server's own and often
 * at error level: one debug line with the reported level and code, cut short, and nothing else.
 */
async function clientLog(request: Request, logger: Logger): Promise<Response> {
  const { level, code } = await readBody(request);
  logger.debug?.("next_auth_client_log", {
    reportedLevel: String(level ?? "").slice(0, CLIENT_LOG_LEVEL_CHARS),
    code: String(code ?? "").slice(0, CLIENT_LOG_CODE_CHARS),
  });
  return noContent();
}

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
