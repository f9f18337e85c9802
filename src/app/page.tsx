import { redirect } from "next/navigation";
import { getCurrentSession } from "@/server/auth/current-session";

// Depends on the request's cookies: never prerender.
export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await getCurrentSession();
  redirect(session ? "/devices" : "/login");
}
