// Target 1: GET /api/me with the full revocation check (the store consulted once per request, by
// the route handler) against two routes of the same build, same Bearer token stream (every
// device's token, round-robin), same load generator (a child process):
//   1a the stateless baseline GET /api/bench/stateless (one signature check, nothing revocable);
//   1b the framework's floor GET /api/bench/constant (a route handler that waits once, then
//      answers a constant).
// None of the three is behind the proxy.
import { Api } from "../lib/api-client";
import { count, median, ms, verdict, type BenchContext, type Row } from "./common";
import type { LoadResult } from "./load-protocol";

const SIDES = { revocable: "/api/me", stateless: "/api/bench/stateless", floor: "/api/bench/constant" } as const;
type Side = keyof typeof SIDES;
/** The routes this target calls: a build without one of them cannot be measured (scripts/bench.ts). */
export const HTTP_ROUTES: readonly string[] = Object.values(SIDES);
const ORDER = Object.keys(SIDES) as Side[];

interface Summary {
  rps: number;
  p50: number;
  p99: number;
  failures: string;
}

export async function revocableVsBaselines(ctx: BenchContext): Promise<Row[]> {
  const { tuning, app, devices, load } = ctx;
  const tokens = devices.map((d) => d.accessToken);
  const api = new Api(app.url);
  for (const side of ORDER) {
    const res = await api.call("GET", SIDES[side], { token: tokens[0] });
    if (res.status !== 200)
      throw new Error(`GET ${SIDES[side]} answered ${res.status} ${JSON.stringify(res.body)} (BENCHMARK_ROUTES=1?)`);
  }

  const once = (side: Side, seconds: number) =>
    load.run({ kind: "http", baseUrl: app.url, path: SIDES[side], tokens, connections: tuning.connections, seconds });
  // Unmeasured warm-up: JIT, connection pools, the verified-token cache of /api/me.
  for (const side of ORDER) await once(side, tuning.warmupSeconds);

  const results: Record<Side, LoadResult[]> = { revocable: [], stateless: [], floor: [] };
  for (let run = 0; run < tuning.runs; run++) {
    // Each side takes each place in the order in turn, so no side always runs on a warmer machine.
    const order = ORDER.map((_, i) => ORDER[(i + run) % ORDER.length]!);
    for (const side of order) {
      const result = await once(side, tuning.seconds);
      results[side].push(result);
      ctx.log(
        `  1  run ${run + 1}/${tuning.runs} ${SIDES[side].padEnd(22)} ${count(result.perSecond).padStart(6)} req/s  p50 ${ms(result.p50Ms)}  p99 ${ms(result.p99Ms)}${failureText(result)}`,
      );
    }
  }

  const summary = (side: Side): Summary => ({
    rps: median(results[side].map((r) => r.perSecond)),
    p50: median(results[side].map((r) => r.p50Ms)),
    p99: median(results[side].map((r) => r.p99Ms)),
    failures: results[side].map(failureText).join(""),
  });
  const me = summary("revocable");
  const against = (id: string, target: string, side: Side, label: string, minimum: number): Row => {
    const base = summary(side);
    const ratio = me.rps / base.rps;
    const clean = !me.failures && !base.failures;
    return {
      id,
      target,
      figure:
        `${ratio.toFixed(2)}× — /api/me ${count(me.rps)} req/s (p50 ${ms(me.p50)}, p99 ${ms(me.p99)}) vs ${label} ${count(base.rps)} req/s ` +
        `(p50 ${ms(base.p50)}, p99 ${ms(base.p99)}); c=${tuning.connections}, ${tokens.length} tokens, median of ${tuning.runs}` +
        (clean ? "" : `; NON-2XX:${me.failures}${base.failures}`),
      threshold: `≥ ${minimum.toFixed(2)}×, 0 non-2xx`,
      verdict: verdict(clean && ratio >= minimum),
    };
  };
  return [
    against("1a", "Revocable /api/me vs stateless baseline (HTTP)", "stateless", "stateless", 1),
    against("1b", "Revocable /api/me vs the framework's floor for a route handler (HTTP)", "floor", "constant", 0.95),
  ];
}

function failureText(result: LoadResult): string {
  const entries = Object.entries(result.failures);
  return entries.length ? ` [${entries.map(([status, n]) => `${n}×${status}`).join(", ")}]` : "";
}
