import { invalidToken } from "@/core/errors";

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1). */
export function bearerToken(headers: Headers): string {
  const header = headers.get("authorization");
  if (!header) throw invalidToken("missing");
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
  if (!match?.[1]) throw invalidToken("malformed");
  return match[1];
}
