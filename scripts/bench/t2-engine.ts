// Target 2: the engine alone, in process, no HTTP: engine.authenticate (warm verified-token cache
// + the configured revocation store, one MGET per check with Redis) vs jose jwtVerify alone (what a
// stateless API does per request) on the same tokens, same concurrency.
import { createLocalJWKSet, jwtVerify } from "jose";
import type { Services } from "../../src/server/build-services";
import { count, median, verdict, type BenchContext, type Row } from "./common";

/** `concurrency` async loops calling `op` round-robin over `n` items until the deadline: ops/s. */
export async function closedLoop(
  seconds: number,
  concurrency: number,
  n: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op(next++ % n);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

export async function engineVsJose(ctx: BenchContext, services: Services): Promise<Row[]> {
  const { tuning } = ctx;
  const tokens = ctx.devices.map((d) => d.accessToken);
  const keys = createLocalJWKSet(services.keyRing.publicJwks);
  const options = { issuer: services.config.issuer, audience: services.config.audience, typ: "at+jwt" };
  const jose = (i: number) => jwtVerify(tokens[i]!, keys, options);
  const engine = (i: number) => services.engine.authenticate(tokens[i]!);

  // Every token must pass both, or the comparison means nothing; this also warms the cache.
  for (let i = 0; i < tokens.length; i++) {
    await jose(i);
    const claims = await engine(i);
    if (claims.sid !== ctx.devices[i]!.sessionId) throw new Error("authenticate returned another session");
  }
  const seconds = Math.max(1, tuning.seconds * 0.6);
  await closedLoop(tuning.warmupSeconds, tuning.connections, tokens.length, jose);
  await closedLoop(tuning.warmupSeconds, tuning.connections, tokens.length, engine);

  const runs = { engine: [] as number[], jose: [] as number[] };
  for (let run = 0; run < tuning.runs; run++) {
    const order = run % 2 ? (["jose", "engine"] as const) : (["engine", "jose"] as const);
    for (const side of order) {
      const perSecond = await closedLoop(seconds, tuning.connections, tokens.length, side === "engine" ? engine : jose);
      runs[side].push(perSecond);
      ctx.log(
        `  2  run ${run + 1}/${tuning.runs} ${side === "engine" ? "engine.authenticate" : "jose jwtVerify"}  ${count(perSecond).padStart(8)} checks/s`,
      );
    }
  }
  const e = median(runs.engine);
  const j = median(runs.jose);
  const ratio = e / j;
  const alg = services.keyRing.signing.alg;
  return [
    {
      id: "2",
      target: "Engine verify+revocation vs jose jwtVerify (in process)",
      figure: `${ratio.toFixed(2)}× — ${count(e)} vs ${count(j)} checks/s (${alg}, ${services.store.kind} store, warm cache of ${tokens.length} tokens, c=${tuning.connections}, median of ${tuning.runs})`,
      threshold: "≥ 3.00×",
      verdict: verdict(ratio >= 3),
    },
  ];
}
