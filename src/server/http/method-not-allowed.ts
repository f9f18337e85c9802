import { engineText } from "@/core/messages";
import { errorJson } from "./errors";
import { localeOfHeaders } from "./request-language";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: Request) => Response;

/**
 * JSON 405 answers (with `Allow`) for the methods a route does not serve; Next's own 405 has an
 * empty body. Spread into a route module: `export const { GET, PUT, PATCH, DELETE } = otherMethods("POST")`.
 */
export function otherMethods(...allowed: Method[]): Record<Method, Handler> {
  const allow = allowed.join(", ");
  const handler: Handler = (request) =>
    errorJson(
      405,
      { error: "method_not_allowed", error_description: engineText("request.methodNotAllowed", { methods: allow }) },
      { Allow: allow },
      localeOfHeaders(request.headers),
    );
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<Method, Handler>;
}
