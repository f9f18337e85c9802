import type { CurrentSession } from "@/server/auth/current-session";

/** Not built yet. */
export async function ConnectedAccountsSection(_props: { session: CurrentSession }) {
  return null;
}
