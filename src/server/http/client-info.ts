import type { RequestContext } from "@/core/session-engine";

/**
 * The client's IP and User-Agent for the devices list. Next's server puts the peer address last in
 * X-Forwarded-For; each trusted proxy in front adds one more entry, so the client is `hops` from
 * the end. Entries further left are whatever the client claimed, and are ignored.
 */
export function clientContext(headers: Headers, trustedProxyHops: number): RequestContext {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const ip = forwarded[forwarded.length - 1 - trustedProxyHops] ?? forwarded[0] ?? null;
  return { ip: ip ? normaliseIp(ip).slice(0, 64) : null, userAgent: headers.get("user-agent") };
}

function normaliseIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}
