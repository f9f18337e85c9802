/**
 * A browser's sign-in through next-auth, over plain HTTP: fetch the CSRF token (and its cookie),
 * then POST the credentials callback with it, as the login form's `signIn("credentials")` does.
 */
export interface BrowserSignIn {
  status: number;
  /** The JSON body next-auth answers with `json=true`: `{ url }`, whose `error` parameter carries a failure. */
  body: string;
  /** Every cookie the browser would now hold (CSRF, session, refresh). */
  cookies: Map<string, string>;
  /** Names of the cookies the callback set, sorted. */
  setCookieNames: string[];
}

export async function browserSignIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<BrowserSignIn> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const eq = pair.indexOf("=");
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  keep(csrf);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: baseUrl,
      ...headers,
      cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/devices", json: "true" }).toString(),
  });
  keep(res);
  const setCookieNames = res.headers
    .getSetCookie()
    .map((c) => c.split("=")[0]!)
    .sort();
  return { status: res.status, body: await res.text(), cookies, setCookieNames };
}

export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
}
