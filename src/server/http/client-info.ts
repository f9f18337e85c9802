import { parseIpAddress } from "@/core/ip-address";
import type { RequestContext } from "@/core/session-engine";
import { localeOfHeaders } from "./request-language";

/**
 * The header through which the app's own HTTP server (server.mjs) hands the socket's peer address to
 * the app. That server deletes any value a client sent under this name and writes the peer's, so
 * the value is never the client's choice. Keep the name equal to PEER_ADDRESS_HEADER in server.mjs.
 */
export const PEER_ADDRESS_HEADER = "x-rjs-peer-address";

/**
 * The client's IP, User-Agent and language (the language of the mail a registration sends). IP and User-Agent: shown per device, logged, and the key of per-address rate limits.
 *
 * With no trusted proxy (0 hops), the socket's peer is the client, and `X-Forwarded-For` is ignored:
 * Next copies the peer into it only when the client did not send one. With N proxies in front,
 * each appending the address it received the request from, the Nth entry from the right was
 * written by the outermost trusted proxy, and is the client; entries further left are whatever the
 * client claimed. Anything that is not a valid IP address is null, never text to show.
 */
export function clientContext(headers: Headers, trustedProxyHops: number): RequestContext {
  return {
    ip: clientAddress(headers, trustedProxyHops),
    userAgent: headers.get("user-agent"),
    locale: localeOfHeaders(headers),
  };
}

function clientAddress(headers: Headers, hops: number): string | null {
  const peer = parseIpAddress(headers.get(PEER_ADDRESS_HEADER));
  if (hops === 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return peer; // reached without a proxy (e.g. a health check)
  // Fewer entries than proxies: the leftmost was still written by a trusted proxy.
  return parseIpAddress(forwarded[Math.max(0, forwarded.length - hops)]);
}
