import { DeviceActions } from "./actors";
import { SoakClock } from "./clock";
import { LoadDriver } from "./driver";
import { Invariants } from "./invariants";
import { SoakModel, tokenDead } from "./model";
import { assertLoopback, DEFAULT_WEIGHTS, type SoakOptions } from "./options";
import { populate } from "./population";
import { seededRandom } from "./random";
import { soakReport, type SoakReport } from "./report";
import { RequestStats } from "./request-stats";
import { deviceLoop, moveChooser } from "./scenario";
import { checkSessionRowsInPostgres } from "./session-rows";
import { Tally } from "./tally";

/**
 * The soak: simulated users with several devices each sign in, refresh, list and revoke against a
 * running app until a deadline, while a client-side model records which tokens MUST be refused
 * from which moment on. Used by `npm run soak` (long run) and tests/integration/soak.test.ts
 * (short run in CI).
 *
 * Why its verdicts are exact:
 * - Time is a sequence number taken when a request is sent and when its response arrives (one JS
 *   thread: the order of these events is well defined; see driver.ts).
 * - A token is dead once the response of a successful revocation that covers it has arrived:
 *   its session revoked (local, DELETE, others), or its `sv` below the user's epoch (global,
 *   password change). Any 2xx to a request with a token that was dead when the request was sent is
 *   a stale acceptance (model.ts, invariants.ts).
 * - Writes of one user (sign-in, the revocations, password change) are serialized, like one person
 *   acting on one account: the model then knows each user's live sessions and epoch exactly. Reads
 *   and refreshes of every device run concurrently with them, which is where revocation races live
 *   (actors.ts).
 * - A refusal of a token the model believes live is only explained by a revocation sent before the
 *   refusal arrived (it may still have been in flight); refusals are judged after the run, once every
 *   revocation's outcome is known. Anything else is an unexpected refusal (a device kicked out).
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  assertLoopback(options.baseUrl);
  const baseUrl = options.baseUrl.replace(/\/$/, "");
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = seededRandom(seed);
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const perUser = Math.max(1, options.devicesPerUser ?? 4);
  const runId = `${Date.now().toString(36)}${Math.floor(random() * 1e6).toString(36)}`;

  const tally = new Tally();
  const { counters } = tally;
  const stats = new RequestStats();
  const clock = new SoakClock();
  const driver = new LoadDriver(
    baseUrl,
    Math.max(1, options.concurrency ?? options.devices),
    options.requestTimeoutMs ?? 20_000,
    stats,
    tally,
  );
  const model = new SoakModel(random, tally);
  const checks = new Invariants(model, tally);
  const act = new DeviceActions(driver, model, checks, tally, random, clock);

  // ------------------------------------------------ set-up, before the clock starts

  const health = await fetch(`${baseUrl}/api/health`).then((r) => r.json() as Promise<Record<string, unknown>>);
  const storage = `${String(health.database)} + ${String(health.revocationStore)}`;
  const userCount = Math.ceil(options.devices / perUser);
  log(
    `soak: ${options.devices} devices (${userCount} users), ${options.seconds} s, against ${baseUrl} (${storage}), seed ${seed}`,
  );
  await populate(model, act, driver, tally, { runId, devices: options.devices, perUser, userCount });
  log(`soak: ${model.devices.length} devices signed in, starting the clock`);

  // ------------------------------------------------ the timed phase

  const requestsBefore = counters.requests;
  clock.start(options.seconds);
  const progress = setInterval(() => {
    const elapsed = clock.elapsedSeconds();
    const revocations =
      counters.logoutLocal +
      counters.deleteOther +
      counters.logoutOthers +
      counters.logoutGlobal +
      counters.passwordChange;
    log(
      `soak: ${elapsed.toFixed(0)} s, ${counters.requests - requestsBefore} requests (${((counters.requests - requestsBefore) / elapsed).toFixed(0)}/s), ` +
        `${counters.signIns} sign-ins, ${revocations} revocations, ${tally.failures.length} failures`,
    );
  }, 10_000);
  const chooseMove = moveChooser(weights, random, clock, counters);
  try {
    await Promise.all(model.devices.map((device) => deviceLoop(device, act, model, clock, chooseMove)));
  } finally {
    clearInterval(progress);
  }
  const elapsedSeconds = clock.elapsedSeconds();
  const timedRequests = counters.requests - requestsBefore;

  // ------------------------------------------------ after the deadline: nothing in flight any more

  checks.judgeRefusals();

  // The final devices lists, through the API (both storage modes).
  for (const user of model.users) {
    if (user.tainted) continue;
    const holder = model.devices.find((d) => d.user === user && d.pair && !tokenDead(d.pair));
    if (!holder?.pair) continue;
    await act.finalList(user, holder.pair);
  }

  const expectation = model.expectation();
  const database: SoakReport["database"] = { checked: false };
  if (options.databaseUrl) {
    const result = await checkSessionRowsInPostgres(expectation, options.databaseUrl);
    database.checked = true;
    database.rows = result.rows;
    database.expectedRows = result.expectedRows;
    counters.rowMismatches += result.mismatches.length;
    for (const line of result.mismatches) tally.fail(`ROW MISMATCH: ${line}`);
  }

  return soakReport({
    baseUrl,
    storage,
    devices: options.devices,
    users: model.users.length,
    seed,
    seconds: elapsedSeconds,
    actions: stats.byAction(),
    slowest: stats.slowestSince(clock.started),
    database,
    expectation,
    failures: tally.failures,
    counters,
    timedRequests,
  });
}
