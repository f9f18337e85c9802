export const DEFAULT_AFTER_SIGN_IN = "/devices";

/**
 * Where to go after signing in: only a same-site relative path ("/x", never "//host" or "/\host",
 * which browsers treat as another site), and never back to the sign-in pages themselves.
 */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (!url || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return DEFAULT_AFTER_SIGN_IN;
  // Control characters (e.g. a tab inside "/\t/host") are stripped by URL parsers: refuse them.
  if ([...url].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return DEFAULT_AFTER_SIGN_IN;
  const path = url.split(/[?#]/, 1)[0] ?? "";
  if (path === "/login" || path === "/register" || path.startsWith("/api/")) return DEFAULT_AFTER_SIGN_IN;
  return url;
}
