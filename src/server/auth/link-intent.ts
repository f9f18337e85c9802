import { deriveKey, hmacSha256, sameBytes } from "@/core/crypto";
import type { Env } from "../env";
import { cookieNames } from "./cookies";

/**
 * "Connect <provider>" on the security page: before the browser leaves for the provider, a server
 * action (after the re-authentication rule) sets this short-lived cookie. When the provider sends
 * the browser back, an intent bound to the browser's current session (and to that provider) means
 * "link this identity to the signed-in account" instead of "sign in with it". HttpOnly,
 * SameSite=Lax (it must come back on the provider's top-level redirect), signed with a subkey of
 * AUTH_SECRET, single use; it holds a session id and times, nothing secret.
 */
export interface LinkIntent {
  sessionId: string;
  provider: string;
  /** When the holder last proved who they are (ms): handed to the engine's linkIdentity. */
  reauthenticatedAtMs: number;
  expiresAtMs: number;
}

/** Long enough to sign in at the provider; the engine still holds the re-authentication to its own limit. */
export const LINK_INTENT_TTL_SECONDS = 600;

export function linkIntentCookieName(env: Env): string {
  return cookieNames(env).secure ? "__Host-rjs.link-intent" : "rjs.link-intent";
}

function mac(authSecret: string, body: string): Buffer {
  return hmacSha256(deriveKey(authSecret, "link-intent"), body);
}

export function encodeLinkIntent(intent: LinkIntent, authSecret: string): string {
  const body = [intent.sessionId, intent.provider, intent.reauthenticatedAtMs, intent.expiresAtMs]
    .map((part) => Buffer.from(String(part)).toString("base64url"))
    .join(".");
  return `${body}.${mac(authSecret, body).toString("base64url")}`;
}

/** The intent, or null when the cookie was not made by this app (with this secret) or has expired. */
export function decodeLinkIntent(value: string | undefined, authSecret: string, nowMs: number): LinkIntent | null {
  if (!value || value.length > 1024) return null;
  const parts = value.split(".");
  if (parts.length !== 5) return null;
  const body = parts.slice(0, 4).join(".");
  if (!sameBytes(Buffer.from(parts[4]!, "base64url"), mac(authSecret, body))) return null;
  const [sessionId, provider, reauth, expires] = parts.slice(0, 4).map((p) => Buffer.from(p, "base64url").toString());
  const intent = {
    sessionId: sessionId!,
    provider: provider!,
    reauthenticatedAtMs: Number(reauth),
    expiresAtMs: Number(expires),
  };
  return Number.isSafeInteger(intent.reauthenticatedAtMs) && intent.expiresAtMs > nowMs ? intent : null;
}
