import type { CurrentSession } from "@/server/auth/current-session";

/** Not built yet. */
export async function PasskeysSection(_props: { session: CurrentSession }) {
  return null;
}
