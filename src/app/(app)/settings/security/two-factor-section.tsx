import type { CurrentSession } from "@/server/auth/current-session";

/** Not built yet. */
export async function TwoFactorSection(_props: { session: CurrentSession }) {
  return null;
}
