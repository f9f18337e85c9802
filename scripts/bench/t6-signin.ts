// Target 6: sign-in is deliberately bounded by argon2id; refresh is one read and one
// compare-and-set write. Both printed over HTTP (load from the child process, concurrency 8) so a
// regression shows. No threshold on the rate: only that every request succeeded.
import { count, ms, verdict, type BenchContext, type Row } from "./common";
import type { LoadResult } from "./load-protocol";
import { signInDevice } from "./seed";

const CONCURRENCY = 8;

function failures(result: LoadResult): string {
  const entries = Object.entries(result.failures);
  return entries.length ? `; FAILED: ${entries.map(([status, n]) => `${n}×${status}`).join(", ")}` : "";
}

export async function signInAndRefresh(ctx: BenchContext): Promise<Row[]> {
  const seconds = ctx.tuning.mode === "full" ? 4 : 1.5;
  const users = [...new Map(ctx.devices.map((d) => [d.userId, { email: d.email, password: d.password }])).values()];
  const signIn = await ctx.load.run({
    kind: "signin",
    baseUrl: ctx.app.url,
    credentials: users,
    concurrency: CONCURRENCY,
    seconds,
  });
  ctx.log(
    `  6  sign-in  ${signIn.perSecond.toFixed(1)}/s  p50 ${ms(signIn.p50Ms)}  p99 ${ms(signIn.p99Ms)}${failures(signIn)}`,
  );

  // Fresh sessions of their own: each loop rotates one refresh token, one request at a time.
  const first = ctx.devices[0]!;
  const chains: string[] = [];
  for (let i = 0; i < CONCURRENCY; i++) chains.push((await signInDevice(ctx.app.url, first, i)).refreshToken);
  const refresh = await ctx.load.run({ kind: "refresh", baseUrl: ctx.app.url, refreshTokens: chains, seconds });
  ctx.log(
    `  6  refresh  ${refresh.perSecond.toFixed(1)}/s  p50 ${ms(refresh.p50Ms)}  p99 ${ms(refresh.p99Ms)}${failures(refresh)}`,
  );

  const row = (id: string, target: string, r: LoadResult): Row => ({
    id,
    target,
    figure: `${r.perSecond.toFixed(1)}/s (${count(r.ok)} in ${r.seconds.toFixed(1)} s; p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}; c=${CONCURRENCY})${failures(r)}`,
    threshold: "printed; every request 2xx",
    verdict: verdict(r.ok > 0 && Object.keys(r.failures).length === 0),
  });
  return [
    row("6a", "Sign-ins per second (argon2id-bound, HTTP)", signIn),
    row("6b", "Refreshes per second (HTTP)", refresh),
  ];
}
