// Users and signed-in devices for the benchmark, created over HTTP like real clients would.
import { Api, CHROME_MAC, SAFARI_IPHONE, uniqueEmail } from "../lib/api-client";
import { payloadOf, type Device } from "./common";

export const BENCH_PASSWORD = "bench-password-2026";

/** Runs `work` over `items` with at most `limit` at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

export async function registerUsers(
  baseUrl: string,
  n: number,
  label: string,
): Promise<{ email: string; password: string; userId: string }[]> {
  const api = new Api(baseUrl);
  return pool(
    Array.from({ length: n }, (_, i) => i),
    8,
    async () => {
      const email = uniqueEmail(label);
      const res = await api.register(email, BENCH_PASSWORD, "Bench User");
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { email, password: BENCH_PASSWORD, userId: res.body.user.id };
    },
  );
}

export async function signInDevice(
  baseUrl: string,
  user: { email: string; password: string; userId: string },
  index = 0,
): Promise<Device> {
  const body = await new Api(baseUrl).device(user.email, user.password, index % 2 ? SAFARI_IPHONE : CHROME_MAC);
  const claims = payloadOf(body.access_token);
  if (claims.sid !== body.session_id) throw new Error("the access token does not name its session");
  return { ...user, sessionId: body.session_id, accessToken: body.access_token, refreshToken: body.refresh_token };
}

/** `devices` signed-in devices, `perUser` per user (each its own session and token). */
export async function seedDevices(baseUrl: string, devices: number, perUser: number, label: string): Promise<Device[]> {
  const users = await registerUsers(baseUrl, Math.ceil(devices / perUser), label);
  return pool(
    Array.from({ length: devices }, (_, i) => i),
    8,
    (i) => signInDevice(baseUrl, users[i % users.length]!, i),
  );
}
