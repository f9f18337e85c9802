import { errorJson } from "@/server/http/errors";

/** Unknown API paths answer JSON like every other API error, not Next's HTML 404 page. */
function notFound(): Response {
  return errorJson(404, { error: "not_found", error_description: "There is no such API endpoint." });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
