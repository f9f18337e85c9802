import { errorJson } from "@/server/http/errors";
import { localeOfHeaders } from "@/server/http/request-language";
import { engineText } from "@/core/messages";

/** Unknown API paths answer JSON like every other API error, not Next's HTML 404 page. */
function notFound(request: Request): Response {
  return errorJson(
    404,
    { error: "not_found", error_description: engineText("request.noSuchEndpoint") },
    {},
    localeOfHeaders(request.headers),
  );
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
