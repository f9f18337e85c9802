/** A thin HTTP client for the API, as a mobile app would call it. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  session_id: string;
}

export const CHROME_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
export const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

export class Api {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: {
      json?: unknown;
      form?: Record<string, string>;
      token?: string;
      headers?: Record<string, string>;
      raw?: string;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = {};
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new Error(`${method} ${path} answered ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
      }
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  register(email: string, password: string, name?: string) {
    return this.call<{ user: { id: string; email: string; name: string | null; emailVerified: boolean } }>(
      "POST",
      "/api/auth/register",
      {
        json: { email, password, name },
      },
    );
  }

  signIn(email: string, password: string, userAgent = CHROME_MAC, deviceName?: string) {
    const form: Record<string, string> = { grant_type: "password", username: email, password };
    if (deviceName) form.device_name = deviceName;
    return this.call<TokenBody>("POST", "/api/auth/token", { form, headers: { "user-agent": userAgent } });
  }

  /** Registers (if needed) and signs in, failing loudly if either step does not succeed. */
  async device(email: string, password: string, userAgent = CHROME_MAC): Promise<TokenBody> {
    const res = await this.signIn(email, password, userAgent);
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  refresh(refreshToken: string) {
    return this.call<TokenBody>("POST", "/api/auth/token", {
      form: { grant_type: "refresh_token", refresh_token: refreshToken },
    });
  }

  me(token: string) {
    return this.call<{
      user: { id: string; email: string; name: string | null; emailVerified: boolean };
      session: { id: string };
    }>("GET", "/api/me", { token });
  }

  sessions(token: string) {
    return this.call<{
      sessions: {
        id: string;
        current: boolean;
        deviceName: string | null;
        browser: string | null;
        os: string | null;
        ip: string | null;
        createdAt: string;
        lastActiveAt: string;
      }[];
    }>("GET", "/api/sessions", { token });
  }

  deleteSession(token: string, id: string) {
    return this.call("DELETE", `/api/sessions/${encodeURIComponent(id)}`, { token });
  }

  logout(token: string, scope?: "local" | "others" | "global") {
    return this.call("POST", "/api/auth/logout", { token, json: scope ? { scope } : {} });
  }

  revoke(token: string) {
    return this.call("POST", "/api/auth/revoke", { form: { token } });
  }

  changePassword(token: string, currentPassword: string, newPassword: string) {
    return this.call<TokenBody>("POST", "/api/account/password", { token, json: { currentPassword, newPassword } });
  }
}

let counter = 0;
/**
 * An address no other test uses: the time and a counter, and the process id, because two runners'
 * workers (Playwright's, vitest's) each count from 1 and can ask for the same label in the same
 * millisecond.
 */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${process.pid.toString(36)}.${counter}@example.com`;
}
