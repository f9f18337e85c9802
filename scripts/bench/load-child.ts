// The load generator: a child process of the benchmark (forked by scripts/bench/load.ts), so that
// the load's CPU is not the measuring process's. Runs one job at a time from the IPC channel and
// exits when the channel closes. Every job ends at its deadline; a watchdog ends the process if a
// job overruns it by far.
import http from "node:http";
import autocannon from "autocannon";
import type { FromChild, HttpJob, LoadJob, LoadResult, RefreshJob, SignInJob, ToChild } from "./load-protocol";

function assertLoopback(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))
    throw new Error(`load only runs against loopback, not ${baseUrl}`);
  return url;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function runHttp(job: HttpJob): Promise<LoadResult> {
  assertLoopback(job.baseUrl);
  if (job.tokens.length === 0) throw new Error("no tokens");
  // One global round-robin over the tokens, whichever connection sends next: consecutive requests
  // carry different tokens. (Prebuilt per-token requests would make every connection walk the list
  // in lockstep from the first token: 64 requests with one token at a time.)
  const headers = job.tokens.map((token) => ({ authorization: `Bearer ${token}` }));
  let next = 0;
  const requests = [
    {
      method: "GET",
      path: job.path,
      setupRequest: (request: { headers?: Record<string, string> }) => ({
        ...request,
        headers: headers[next++ % headers.length],
      }),
    },
  ];
  return new Promise((resolve, reject) => {
    autocannon(
      { url: job.baseUrl, connections: job.connections, pipelining: 1, duration: job.seconds, timeout: 10, requests },
      (error, result) => {
        if (error) return reject(error);
        const failures: Record<string, number> = {};
        for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
          if (!status.startsWith("2")) failures[status] = Number(count);
        }
        if (result.errors) failures.error = result.errors;
        resolve({
          perSecond: result["2xx"] / result.duration,
          ok: result["2xx"],
          failures,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          seconds: result.duration,
        });
      },
    );
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, path: string, form: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: "POST",
        agent,
        timeout: 10_000,
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

/** `loops` sequential loops until the deadline; `step` returns the status of one request. */
async function runLoops(seconds: number, loops: number, step: (loop: number) => Promise<number>): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: loops }, async (_, loop) => {
      // A failing loop keeps going (counted), but a broken one must not spin: at most 100k steps.
      for (let i = 0; i < 100_000 && performance.now() < deadline; i++) {
        const sent = performance.now();
        let status: string;
        try {
          status = String(await step(loop));
        } catch {
          status = "error";
        }
        latencies.push(performance.now() - sent);
        if (status.startsWith("2")) ok++;
        else failures[status] = (failures[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: ok / elapsed,
    ok,
    failures,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    seconds: elapsed,
  };
}

function runSignIn(job: SignInJob): Promise<LoadResult> {
  const url = assertLoopback(job.baseUrl);
  let next = 0;
  return runLoops(job.seconds, job.concurrency, async () => {
    const who = job.credentials[next++ % job.credentials.length]!;
    const res = await post(url, "/api/auth/token", {
      grant_type: "password",
      username: who.email,
      password: who.password,
      device_name: "bench",
    });
    return res.status;
  });
}

function runRefresh(job: RefreshJob): Promise<LoadResult> {
  const url = assertLoopback(job.baseUrl);
  const chains = [...job.refreshTokens];
  return runLoops(job.seconds, chains.length, async (loop) => {
    const res = await post(url, "/api/auth/token", { grant_type: "refresh_token", refresh_token: chains[loop]! });
    if (res.status === 200) chains[loop] = (JSON.parse(res.body) as { refresh_token: string }).refresh_token;
    return res.status;
  });
}

function run(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case "http":
      return runHttp(job);
    case "signin":
      return runSignIn(job);
    case "refresh":
      return runRefresh(job);
  }
}

const reply = (message: FromChild) => process.send?.(message);

process.on("message", (message: ToChild) => {
  const seconds = "seconds" in message.job ? message.job.seconds : 0;
  const watchdog = setTimeout(
    () => {
      console.error(`load: job ${message.job.kind} overran its ${seconds} s by 60 s; exiting`);
      process.exit(3);
    },
    (seconds + 60) * 1000,
  );
  run(message.job)
    .then(
      (result) => reply({ id: message.id, result }),
      (error: unknown) => reply({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => clearTimeout(watchdog));
});
// The parent closes the channel when done (or dies): nothing else keeps this process alive.
process.on("disconnect", () => process.exit(0));
