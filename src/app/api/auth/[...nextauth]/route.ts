import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/server/auth/next-auth-options";
import { getServices } from "@/server/services";

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth's endpoints (csrf, callback/credentials, signout, session), with options built from our services. */
async function handler(request: NextRequest, context: Context): Promise<Response> {
  return NextAuth(request, context, authOptions(await getServices()));
}

export { handler as GET, handler as POST };
