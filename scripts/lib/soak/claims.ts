/** The claims the model follows, read from an access token's payload (its signature is the app's business). */
export function claimsOf(token: string): { sub: string; sid: string; sv: number } | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || typeof payload.sv !== "number")
      return null;
    return { sub: payload.sub, sid: payload.sid, sv: payload.sv };
  } catch {
    return null;
  }
}
