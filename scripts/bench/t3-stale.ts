// Target 3: zero stale acceptances across instances. Two app instances on one PostgreSQL + Redis;
// a client hammers instance B with a device's token while a sibling device revokes it on instance A
// (DELETE /api/sessions/{id}). Once A's 204 has arrived, B must accept no request with that token.
//
// Timing is exact without comparing clocks: the hammer and the revocation run in this one process,
// and every send and every arrival takes the next number of one counter. A request whose send
// number is above the revocation's arrival number was sent after the revocation was answered: a
// 2xx to it is a stale acceptance. Requests in flight at that moment may go either way.
import http from "node:http";
import { AppServer } from "../lib/app-server";
import { freePort } from "../lib/ports";
import { count, median, ms, sleep, verdict, type BenchContext, type Row } from "./common";
import { registerUsers, signInDevice } from "./seed";

const TARGET = "Stale acceptances after a revocation on another instance";
const THRESHOLD = "0 stale; refused on B right after A answers";
/** Requests kept in flight against B. */
const HAMMERS = 16;

interface Shot {
  sent: number;
  arrived: number;
  arrivedAt: number;
  status: number;
}

function get(agent: http.Agent, url: URL, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        agent,
        timeout: 10_000,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

export async function staleAcceptances(ctx: BenchContext): Promise<Row[]> {
  if (ctx.storage.database.kind !== "postgresql" || !ctx.storage.redis) {
    return [
      {
        id: "3",
        target: TARGET,
        figure: "SKIP: needs PostgreSQL + Redis (set DATABASE_URL and REDIS_URL)",
        threshold: THRESHOLD,
        verdict: "SKIP",
      },
    ];
  }
  const port = await freePort();
  const b = await AppServer.start({ ...ctx.appEnv, APP_URL: `http://127.0.0.1:${port}` }, port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: HAMMERS + 2 });
  try {
    const rounds = ctx.tuning.mode === "full" ? 10 : 3;
    const [user] = await registerUsers(ctx.app.url, 1, "benchstale");
    let stale = 0;
    let inFlightAccepted = 0;
    let after = 0;
    let otherStatuses = 0;
    const firstRefusalMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const victim = await signInDevice(ctx.app.url, user!, 2 * round);
      const sibling = await signInDevice(ctx.app.url, user!, 2 * round + 1);
      const bUrl = new URL(b.url);
      if ((await get(agent, bUrl, "/api/me", victim.accessToken)) !== 200)
        throw new Error("instance B refused a fresh token");

      let seq = 0;
      const shots: Shot[] = [];
      let revokedAt = Number.POSITIVE_INFINITY; // the counter value when A's answer arrived
      let revokedAtMs = 0;
      let stop = false;
      const hammer = async () => {
        // Bounded by `stop` (set below) and by a count, whichever comes first.
        for (let i = 0; i < 5_000 && !stop; i++) {
          const sent = ++seq;
          const status = await get(agent, bUrl, "/api/me", victim.accessToken).catch(() => 0);
          shots.push({ sent, arrived: ++seq, arrivedAt: performance.now(), status });
        }
      };
      const hammering = Promise.all(Array.from({ length: HAMMERS }, hammer));
      await sleep(150);
      const res = await fetch(`${ctx.app.url}/api/sessions/${encodeURIComponent(victim.sessionId)}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${sibling.accessToken}` },
      });
      revokedAt = ++seq;
      revokedAtMs = performance.now();
      if (res.status !== 204) throw new Error(`DELETE /api/sessions/{id} on A answered ${res.status}`);
      // Keep hammering until B has refused for a while (at most 2 s).
      const deadline = revokedAtMs + 2_000;
      while (performance.now() < deadline && shots.filter((s) => s.sent > revokedAt && s.status === 401).length < 50)
        await sleep(10);
      stop = true;
      await hammering;

      const late = shots.filter((s) => s.sent > revokedAt);
      after += late.length;
      stale += late.filter((s) => s.status >= 200 && s.status < 300).length;
      inFlightAccepted += shots.filter((s) => s.sent < revokedAt && s.arrived > revokedAt && s.status === 200).length;
      otherStatuses += shots.filter((s) => s.status !== 200 && s.status !== 401).length;
      const refusals = shots.filter((s) => s.status === 401).sort((x, y) => x.arrived - y.arrived);
      if (refusals[0]) firstRefusalMs.push(refusals[0].arrivedAt - revokedAtMs);
      ctx.log(
        `  3  round ${round + 1}/${rounds}: ${shots.length} requests to B, ${late.length} sent after A's answer, ${late.filter((s) => s.status === 200).length} accepted; first refusal ${refusals[0] ? ms(refusals[0].arrivedAt - revokedAtMs, 2) : "none"}`,
      );
    }
    const everyRoundRefused = firstRefusalMs.length === rounds;
    const figure =
      `${stale} stale of ${count(after)} requests sent to B after A's answer (${rounds} revocations); first refusal on B ` +
      `${ms(median(firstRefusalMs), 2)} after A's answer (median; max ${ms(Math.max(...firstRefusalMs), 2)}; ≤ 0 = before it arrived); ` +
      `${inFlightAccepted} in-flight accepted` +
      (otherStatuses ? `; ${otherStatuses} other statuses` : "");
    return [
      {
        id: "3",
        target: TARGET,
        figure,
        threshold: THRESHOLD,
        verdict: verdict(stale === 0 && everyRoundRefused && after > 0 && otherStatuses === 0),
      },
    ];
  } finally {
    agent.destroy();
    await b.stop();
  }
}
