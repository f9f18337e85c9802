import { isIP } from "node:net";

/**
 * A client address as the app may store, show or mail it: a valid IPv4 or IPv6 address in one
 * canonical form, or null. Accepts what proxies and sockets write (`1.2.3.4`, `1.2.3.4:5678`,
 * `2001:DB8::1`, `[2001:db8::1]:443`, `fe80::1%eth0`, `::ffff:1.2.3.4`) and refuses everything
 * else (a URL, a name, a list, text): whatever is not an address never reaches a page or an email.
 */
export function parseIpAddress(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 64) return null;
  let text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(":"));
  text = text.replace(/%[\w.-]+$/, ""); // an IPv6 zone names a local interface: not part of the address
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6) return null;
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1); // lower case, zeros compressed
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical); // IPv4 seen by an IPv6 socket
  if (!mapped) return canonical;
  const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}
