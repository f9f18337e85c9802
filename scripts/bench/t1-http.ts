// Target 1: GET /api/me with the full revocation check (the store consulted on every request) vs
// the same build's stateless baseline GET /api/bench/stateless (one signature check), same Bearer
// token stream (every device's token, round-robin), same load generator (a child process).
import { Api } from "../lib/api-client";
import { count, median, ms, verdict, type BenchContext, type Row } from "./common";
import type { LoadResult } from "./load-protocol";

const SIDES = { revocable: "/api/me", stateless: "/api/bench/stateless" } as const;
type Side = keyof typeof SIDES;

export async function revocableVsStateless(ctx: BenchContext): Promise<Row[]> {
  const { tuning, app, devices, load } = ctx;
  const tokens = devices.map((d) => d.accessToken);
  const api = new Api(app.url);
  for (const side of Object.keys(SIDES) as Side[]) {
    const res = await api.call("GET", SIDES[side], { token: tokens[0] });
    if (res.status !== 200)
      throw new Error(`GET ${SIDES[side]} answered ${res.status} ${JSON.stringify(res.body)} (BENCHMARK_ROUTES=1?)`);
  }

  const once = (side: Side, seconds: number) =>
    load.run({ kind: "http", baseUrl: app.url, path: SIDES[side], tokens, connections: tuning.connections, seconds });
  // Unmeasured warm-up: JIT, connection pools, the verified-token cache of /api/me.
  await once("revocable", tuning.warmupSeconds);
  await once("stateless", tuning.warmupSeconds);

  const results: Record<Side, LoadResult[]> = { revocable: [], stateless: [] };
  for (let run = 0; run < tuning.runs; run++) {
    const order: Side[] = run % 2 ? ["stateless", "revocable"] : ["revocable", "stateless"];
    for (const side of order) {
      const result = await once(side, tuning.seconds);
      results[side].push(result);
      ctx.log(
        `  1  run ${run + 1}/${tuning.runs} ${SIDES[side].padEnd(22)} ${count(result.perSecond).padStart(6)} req/s  p50 ${ms(result.p50Ms)}  p99 ${ms(result.p99Ms)}${failureText(result)}`,
      );
    }
  }

  const summary = (side: Side) => ({
    rps: median(results[side].map((r) => r.perSecond)),
    p50: median(results[side].map((r) => r.p50Ms)),
    p99: median(results[side].map((r) => r.p99Ms)),
    failures: results[side].map(failureText).join(""),
  });
  const me = summary("revocable");
  const base = summary("stateless");
  const ratio = me.rps / base.rps;
  const clean = !me.failures && !base.failures;
  const figure =
    `${ratio.toFixed(2)}× — /api/me ${count(me.rps)} req/s (p50 ${ms(me.p50)}, p99 ${ms(me.p99)}) vs stateless ${count(base.rps)} req/s ` +
    `(p50 ${ms(base.p50)}, p99 ${ms(base.p99)}); c=${tuning.connections}, ${tokens.length} tokens, median of ${tuning.runs}` +
    (clean ? "" : `; NON-2XX:${me.failures}${base.failures}`);
  return [
    {
      id: "1",
      target: "Revocable /api/me vs stateless baseline (HTTP)",
      figure,
      threshold: "≥ 1.00×, 0 non-2xx",
      verdict: verdict(clean && ratio >= 1),
    },
  ];
}

function failureText(result: LoadResult): string {
  const entries = Object.entries(result.failures);
  return entries.length ? ` [${entries.map(([status, n]) => `${n}×${status}`).join(", ")}]` : "";
}
