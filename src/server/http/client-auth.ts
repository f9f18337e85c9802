import type { ClientCredentials } from "@/core/introspection";
import { errorJson } from "./errors";

/**
 * HTTP Basic client authentication (RFC 6749 §2.3.1): the client id and secret are each
 * form-urlencoded, joined by ":" and base64-encoded. Returns null when the header is missing or
 * cannot be read (either way: no credentials).
 */
export function basicCredentials(headers: Headers): ClientCredentials | null {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(headers.get("authorization") ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (!clientId || !clientSecret) return null;
  return { clientId, clientSecret };
}

function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return null; // a lone "%": not something a conforming client sends
  }
}

/** RFC 6749 §5.2: a failed client authentication with HTTP Basic answers 401 with a Basic challenge. */
export function invalidClient(description: string): Response {
  return errorJson(
    401,
    { error: "invalid_client", error_description: description },
    { "WWW-Authenticate": 'Basic realm="introspection"' },
  );
}
