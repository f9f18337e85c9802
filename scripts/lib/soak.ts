import { performance } from "node:perf_hooks";
import pg from "pg";

/**
 * The soak engine: simulated users with several devices each sign in, refresh, list and revoke
 * against a running app until a deadline, while a client-side model records which tokens MUST be
 * refused from which moment on. Used by `npm run soak` (long run) and tests/integration/soak.test.ts
 * (short run in CI).
 *
 * The model, and why its verdicts are exact:
 * - Time is a sequence number taken when a request is sent and when its response arrives (one JS
 *   thread: the order of these events is well defined).
 * - A token is dead once the response of a successful revocation that covers it has arrived:
 *   its session revoked (local, DELETE, others), or its `sv` below the user's epoch (global,
 *   password change). Any 2xx to a request with a token that was dead when the request was sent is
 *   a stale acceptance.
 * - Writes of one user (sign-in, the revocations, password change) are serialized, like one person
 *   acting on one account: the model then knows each user's live sessions and epoch exactly. Reads
 *   and refreshes of every device run concurrently with them, which is where revocation races live.
 * - A refusal of a token the model believes live is only explained by a revocation sent before the
 *   refusal arrived (it may still have been in flight); refusals are judged after the run, once every
 *   revocation's outcome is known. Anything else is an unexpected refusal (a device kicked out).
 */

export type SoakMove =
  | "me"
  | "refresh"
  | "sessions"
  | "replay"
  | "logout_local"
  | "delete_other"
  | "logout_others"
  | "logout_global"
  | "change_password";

/** Relative weights of what a signed-in device does next. */
export const DEFAULT_WEIGHTS: Record<SoakMove, number> = {
  me: 62,
  refresh: 14,
  sessions: 12,
  replay: 6,
  logout_local: 1.2,
  delete_other: 1.6,
  logout_others: 1,
  logout_global: 0.3,
  change_password: 0.25,
};

export interface SoakOptions {
  /** A loopback URL (http://127.0.0.1:port): the soak refuses anything else. */
  baseUrl: string;
  devices: number;
  seconds: number;
  /** Requests in flight at most (default: one per device). */
  concurrency?: number;
  /** PostgreSQL database of the app: the session rows are checked against the model at the end. */
  databaseUrl?: string;
  log?: (line: string) => void;
  weights?: Partial<Record<SoakMove, number>>;
  devicesPerUser?: number;
  seed?: number;
  requestTimeoutMs?: number;
}

export interface ActionStats {
  requests: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What the model expects in the database: compared by `checkSessionRows`. */
export interface SessionExpectation {
  users: { id: string; epoch: number; tainted: boolean }[];
  sessions: { id: string; userId: string; epoch: number; live: boolean }[];
}

export interface SoakReport {
  baseUrl: string;
  storage: string;
  devices: number;
  users: number;
  seed: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  actions: Record<string, ActionStats>;
  /** The slowest requests: when they started (seconds since the clock started; negative: set-up). */
  slowest: { action: string; ms: number; atSeconds: number; status: number }[];
  /** Successful sign-ins (= session rows expected). */
  signIns: number;
  refreshes: number;
  revocations: {
    logoutLocal: number;
    deleteOther: number;
    logoutOthers: number;
    logoutGlobal: number;
    passwordChange: number;
  };
  /** Sessions that ended by a revocation (each counted once). */
  sessionsRevoked: number;
  /** Requests with a dead token from the graveyard: every one must be refused. */
  replays: number;
  /** Revoked devices whose first request after the revocation was checked (and refused). */
  refusalChecks: number;
  /** Device lists compared exactly with the model (no write of that user in flight). */
  listChecks: number;
  staleAcceptances: number;
  lateRefusals: number;
  fiveXX: number;
  tooManyRequests: number;
  networkErrors: number;
  unexpectedStatuses: number;
  unexpectedRefusals: number;
  listMismatches: number;
  rowMismatches: number;
  database: { checked: boolean; rows?: number; expectedRows?: number };
  expectation: SessionExpectation;
  /** The first failures, readable (capped). */
  failures: string[];
  ok: boolean;
}

const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
];

const MAX_FAILURES = 60;
const GRAVEYARD_SIZE = 500;

// ---------------------------------------------------------------- small tools

class Semaphore {
  private waiters: (() => void)[] = [];
  constructor(private free: number) {}

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free += 1;
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function claimsOf(token: string): { sub: string; sid: string; sv: number } | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || typeof payload.sv !== "number")
      return null;
    return { sub: payload.sub, sid: payload.sid, sv: payload.sv };
  } catch {
    return null;
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function short(value: string): string {
  return value.length > 14 ? `${value.slice(0, 10)}…` : value;
}

export function assertLoopback(baseUrl: string): void {
  const host = new URL(baseUrl).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) {
    throw new Error(`The soak only runs against loopback, not ${baseUrl}.`);
  }
}

// ---------------------------------------------------------------- the model

interface UserModel {
  n: number;
  email: string;
  password: string;
  id: string;
  /** Exact: writes are serialized and each successful raise adds one. */
  epoch: number;
  raises: { sentSeq: number; epoch: number }[];
  lock: Semaphore;
  writesInFlight: number;
  writeGen: number;
  sessions: SessionModel[];
  passwordChanges: number;
  /** A write whose outcome is unknown (5xx, network error): the model no longer knows this user. */
  tainted: boolean;
}

interface SessionModel {
  sid: string;
  user: UserModel;
  epoch: number;
  /** Sequence number of the arrival of the revocation that ended it. */
  deadAt: number | null;
  /** Sequence number at which that revocation was sent. */
  killSentSeq: number | null;
  killedBy: string | null;
  /** The device's first request after the revocation has been made. */
  firstRequestChecked: boolean;
  lastPair: Pair | null;
}

interface Pair {
  session: SessionModel;
  sv: number;
  access: string;
  refresh: string;
  /** performance.now() after which the device refreshes (80 % of the access token's lifetime). */
  refreshAt: number;
}

interface DeviceModel {
  user: UserModel;
  n: number;
  name: string;
  userAgent: string;
  pair: Pair | null;
}

interface Sent {
  status: number;
  body: Record<string, unknown>;
  sentSeq: number;
  doneSeq: number;
  error?: string;
}

interface RefusalRecord {
  pair: Pair;
  doneSeq: number;
  what: string;
}

// ---------------------------------------------------------------- the run

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  assertLoopback(options.baseUrl);
  const baseUrl = options.baseUrl.replace(/\/$/, "");
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const random = mulberry32(seed);
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const moves = Object.keys(weights) as SoakMove[];
  const totalWeight = moves.reduce((sum, move) => sum + Math.max(0, weights[move]), 0);
  const perUser = Math.max(1, options.devicesPerUser ?? 4);
  const timeoutMs = options.requestTimeoutMs ?? 20_000;
  const slots = new Semaphore(Math.max(1, options.concurrency ?? options.devices));
  const runId = `${Date.now().toString(36)}${Math.floor(random() * 1e6).toString(36)}`;

  let seq = 0;
  const tick = () => ++seq;
  let started = 0;
  let deadline = Infinity;
  /** atSeconds holds performance.now() until the report converts it. */
  const slowest: SoakReport["slowest"] = [];
  const latencies = new Map<string, number[]>();
  const statuses = new Map<string, Record<string, number>>();
  const failures: string[] = [];
  const refusals: RefusalRecord[] = [];
  const graveyard: { pair: Pair; kind: "access" | "refresh" }[] = [];
  const sessionsById = new Map<string, SessionModel>();
  const users: UserModel[] = [];
  const devices: DeviceModel[] = [];
  const counters = {
    requests: 0,
    signIns: 0,
    refreshes: 0,
    logoutLocal: 0,
    deleteOther: 0,
    logoutOthers: 0,
    logoutGlobal: 0,
    passwordChange: 0,
    sessionsRevoked: 0,
    replays: 0,
    refusalChecks: 0,
    listChecks: 0,
    staleAcceptances: 0,
    lateRefusals: 0,
    fiveXX: 0,
    tooManyRequests: 0,
    networkErrors: 0,
    unexpectedStatuses: 0,
    unexpectedRefusals: 0,
    listMismatches: 0,
    rowMismatches: 0,
  };

  function fail(line: string): void {
    if (failures.length < MAX_FAILURES) failures.push(line);
  }

  function pick<T>(items: readonly T[]): T {
    return items[Math.floor(random() * items.length)]!;
  }

  async function send(
    action: string,
    method: string,
    path: string,
    request: { token?: string; form?: Record<string, string>; json?: unknown; userAgent?: string } = {},
  ): Promise<Sent> {
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (request.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    }
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.userAgent) headers["user-agent"] = request.userAgent;

    await slots.acquire();
    const sentSeq = tick();
    const startedAtMs = performance.now();
    let status = 0;
    let parsed: Record<string, unknown> = {};
    let error: string | undefined;
    try {
      const res = await fetch(`${baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      status = res.status;
      if (text) {
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = { nonJson: text.slice(0, 200) };
        }
      }
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    } finally {
      slots.release();
    }
    const doneSeq = tick();
    const ms = performance.now() - startedAtMs;

    counters.requests += 1;
    if (slowest.length < 10 || ms > slowest[slowest.length - 1]!.ms) {
      slowest.push({ action, ms, atSeconds: startedAtMs, status });
      slowest.sort((a, b) => b.ms - a.ms);
      slowest.length = Math.min(slowest.length, 10);
    }
    let list = latencies.get(action);
    if (!list) latencies.set(action, (list = []));
    list.push(ms);
    let byStatus = statuses.get(action);
    if (!byStatus) statuses.set(action, (byStatus = {}));
    const key = status === 0 ? "error" : String(status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;

    if (status === 0) {
      counters.networkErrors += 1;
      fail(`${action}: ${method} ${path} failed without a response: ${error}`);
    } else if (status >= 500) {
      counters.fiveXX += 1;
      fail(`${action}: ${method} ${path} answered ${status} ${JSON.stringify(parsed).slice(0, 200)}`);
    } else if (status === 429) {
      counters.tooManyRequests += 1;
      fail(`${action}: ${method} ${path} answered 429 ${JSON.stringify(parsed).slice(0, 200)}`);
    }
    return { status, body: parsed, sentSeq, doneSeq, error };
  }

  /** 5xx, 429 and transport errors are counted by `send`; anything else outside `expected` here. */
  function unexpected(action: string, res: Sent, expected: string, context = ""): void {
    if (res.status === 0 || res.status >= 500 || res.status === 429) return;
    counters.unexpectedStatuses += 1;
    fail(
      `${action}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}${context ? ` (${context})` : ""}`,
    );
  }

  // ------------------------------------------------ token verdicts

  function tokenDead(pair: Pair): boolean {
    return pair.session.deadAt !== null || pair.sv < pair.session.user.epoch;
  }

  /** When the first revocation covering this token was sent (Infinity: none). */
  function killSentSeq(pair: Pair): number {
    let first = pair.session.killSentSeq ?? Infinity;
    for (const raise of pair.session.user.raises) {
      if (raise.epoch > pair.sv && raise.sentSeq < first) first = raise.sentSeq;
    }
    return first;
  }

  function bury(pair: Pair | null): void {
    if (!pair) return;
    for (const kind of ["access", "refresh"] as const) {
      if (graveyard.length < GRAVEYARD_SIZE) graveyard.push({ pair, kind });
      else graveyard[Math.floor(random() * GRAVEYARD_SIZE)] = { pair, kind };
    }
  }

  function kill(session: SessionModel, sentSeq: number, doneSeq: number, reason: string): void {
    if (session.deadAt !== null) return;
    session.deadAt = doneSeq;
    session.killSentSeq = sentSeq;
    session.killedBy = reason;
    counters.sessionsRevoked += 1;
    bury(session.lastPair);
  }

  function raiseEpoch(user: UserModel, res: Sent, reason: string): void {
    user.epoch += 1;
    user.raises.push({ sentSeq: res.sentSeq, epoch: user.epoch });
    for (const session of user.sessions) {
      if (session.epoch < user.epoch) kill(session, res.sentSeq, res.doneSeq, reason);
    }
  }

  function refreshAt(res: Sent): number {
    const seconds = Number(res.body.expires_in);
    return performance.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 800;
  }

  function setPair(device: DeviceModel, pair: Pair | null): void {
    device.pair = pair;
    if (pair) {
      pair.session.lastPair = pair;
      if (tokenDead(pair)) bury(pair);
    }
  }

  interface Verdict {
    pair: Pair;
    dead: boolean;
    first: boolean;
    what: string;
  }

  /** Call before sending a request that presents `pair` (the device's own, unless a replay). */
  function before(pair: Pair, what: string, replay = false): Verdict {
    const dead = tokenDead(pair);
    let first = false;
    if (dead && !replay && !pair.session.firstRequestChecked) {
      pair.session.firstRequestChecked = true;
      first = true;
    }
    return { pair, dead, first, what };
  }

  function accepted(verdict: Verdict, res: Sent): void {
    if (!verdict.dead) return;
    counters.staleAcceptances += 1;
    const s = verdict.pair.session;
    fail(
      `STALE ACCEPTANCE: ${verdict.what} with a dead token answered ${res.status} (session ${short(s.sid)} of user ${s.user.n}, ` +
        `ended by ${s.killedBy ?? `epoch ${s.user.epoch} > sv ${verdict.pair.sv}`})`,
    );
    if (verdict.first) {
      counters.lateRefusals += 1;
      fail(
        `LATE REFUSAL: the first request of revoked session ${short(s.sid)} (${s.killedBy ?? "epoch"}) after the revocation was accepted: ${verdict.what}`,
      );
    }
  }

  function refused(verdict: Verdict, res: Sent): void {
    if (verdict.first) counters.refusalChecks += 1;
    if (!verdict.dead) refusals.push({ pair: verdict.pair, doneSeq: res.doneSeq, what: verdict.what });
  }

  /** A refusal of the caller's own token: 401 (or 400 invalid_grant for a refresh). */
  function isRefusal(res: Sent, kind: "access" | "refresh"): boolean {
    return kind === "access" ? res.status === 401 : res.status === 400 && res.body.error === "invalid_grant";
  }

  // ------------------------------------------------ writes (serialized per user)

  async function write<T>(device: DeviceModel, run: () => Promise<T>): Promise<T | undefined> {
    const user = device.user;
    await user.lock.acquire();
    try {
      if (performance.now() >= deadline) return undefined;
      user.writesInFlight += 1;
      user.writeGen += 1;
      try {
        return await run();
      } finally {
        user.writesInFlight -= 1;
        user.writeGen += 1;
      }
    } finally {
      user.lock.release();
    }
  }

  function taintOnUnknownOutcome(user: UserModel, res: Sent): void {
    if (res.status === 0 || res.status >= 500) user.tainted = true;
  }

  async function signIn(device: DeviceModel, action = "sign_in"): Promise<void> {
    const user = device.user;
    const res = await write(device, () =>
      send(action, "POST", "/api/auth/token", {
        form: { grant_type: "password", username: user.email, password: user.password, device_name: device.name },
        userAgent: device.userAgent,
      }),
    );
    if (!res) return;
    if (res.status !== 200) {
      taintOnUnknownOutcome(user, res);
      unexpected(action, res, "200");
      await sleep(50);
      return;
    }
    const access = String(res.body.access_token);
    const refresh = String(res.body.refresh_token);
    const sid = String(res.body.session_id);
    const claims = claimsOf(access);
    counters.signIns += 1;
    if (!claims || claims.sid !== sid || claims.sub !== user.id) {
      counters.unexpectedStatuses += 1;
      fail(`sign_in: the access token does not name session ${sid} of user ${user.id}: ${JSON.stringify(claims)}`);
    } else if (claims.sv !== user.epoch && !user.tainted) {
      counters.unexpectedStatuses += 1;
      fail(`sign_in: sv ${claims.sv} but the user's epoch is ${user.epoch} (user ${user.n})`);
    }
    if (sessionsById.has(sid)) {
      counters.rowMismatches += 1;
      fail(`sign_in: session id ${sid} was handed out twice`);
    }
    const session: SessionModel = {
      sid,
      user,
      epoch: claims?.sv ?? user.epoch,
      deadAt: null,
      killSentSeq: null,
      killedBy: null,
      firstRequestChecked: false,
      lastPair: null,
    };
    sessionsById.set(sid, session);
    user.sessions.push(session);
    setPair(device, { session, sv: session.epoch, access, refresh, refreshAt: refreshAt(res) });
  }

  // ------------------------------------------------ moves

  async function me(device: DeviceModel, pair: Pair, label = "me", action = "me"): Promise<void> {
    const verdict = before(pair, `GET /api/me (${label})`);
    const res = await send(action, "GET", "/api/me", { token: pair.access });
    if (res.status === 200) {
      accepted(verdict, res);
      const body = res.body as { user?: { id?: string }; session?: { id?: string } };
      if (body.user?.id !== pair.session.user.id || body.session?.id !== pair.session.sid) {
        counters.unexpectedStatuses += 1;
        fail(`me: answered for ${JSON.stringify(body).slice(0, 200)}, expected session ${pair.session.sid}`);
      }
    } else if (isRefusal(res, "access")) {
      refused(verdict, res);
      if (device.pair === pair) device.pair = null;
    } else {
      unexpected("me", res, "200 or 401");
    }
  }

  async function refresh(device: DeviceModel, pair: Pair, label = "refresh"): Promise<void> {
    const verdict = before(pair, `refresh_token grant (${label})`);
    const res = await send("refresh", "POST", "/api/auth/token", {
      form: { grant_type: "refresh_token", refresh_token: pair.refresh },
    });
    if (res.status === 200) {
      accepted(verdict, res);
      counters.refreshes += 1;
      const access = String(res.body.access_token);
      const claims = claimsOf(access);
      if (!claims || res.body.session_id !== pair.session.sid || claims.sid !== pair.session.sid) {
        counters.unexpectedStatuses += 1;
        fail(
          `refresh: session ${pair.session.sid} came back as ${String(res.body.session_id)} / ${JSON.stringify(claims)}`,
        );
        return;
      }
      if (device.pair === pair)
        setPair(device, {
          session: pair.session,
          sv: claims.sv,
          access,
          refresh: String(res.body.refresh_token),
          refreshAt: refreshAt(res),
        });
    } else if (isRefusal(res, "refresh")) {
      refused(verdict, res);
      if (device.pair === pair) device.pair = null;
    } else {
      unexpected("refresh", res, "200 or 400 invalid_grant");
    }
  }

  async function listSessions(device: DeviceModel, pair: Pair): Promise<void> {
    const user = device.user;
    const verdict = before(pair, "GET /api/sessions");
    const quiet = user.writesInFlight === 0;
    const gen = user.writeGen;
    const res = await send("sessions", "GET", "/api/sessions", { token: pair.access });
    if (res.status === 200) {
      accepted(verdict, res);
      if (quiet && gen === user.writeGen && !verdict.dead && !user.tainted) compareList(user, pair, res, "sessions");
    } else if (isRefusal(res, "access")) {
      refused(verdict, res);
      if (device.pair === pair) device.pair = null;
    } else {
      unexpected("sessions", res, "200 or 401");
    }
  }

  function compareList(user: UserModel, pair: Pair, res: Sent, label: string): void {
    counters.listChecks += 1;
    const listed = ((res.body.sessions ?? []) as { id: string; current: boolean }[]).map((s) => s);
    const ids = new Set(listed.map((s) => s.id));
    const live = new Set(user.sessions.filter((s) => s.deadAt === null).map((s) => s.sid));
    const extra = [...ids].filter((id) => !live.has(id));
    const missing = [...live].filter((id) => !ids.has(id));
    const current = listed.filter((s) => s.current).map((s) => s.id);
    if (
      extra.length ||
      missing.length ||
      current.length !== 1 ||
      current[0] !== pair.session.sid ||
      listed.length !== ids.size
    ) {
      counters.listMismatches += 1;
      const describe = (id: string) => {
        const s = sessionsById.get(id);
        return s ? `${short(id)}(${s.killedBy ?? "live"})` : `${short(id)}(unknown)`;
      };
      fail(
        `${label}: devices list of user ${user.n} differs from the model: listed but revoked ${extra.map(describe).join(", ") || "-"}; ` +
          `live but missing ${missing.map(describe).join(", ") || "-"}; current ${current.map(short).join(", ") || "-"}`,
      );
    }
  }

  async function replay(): Promise<void> {
    if (graveyard.length === 0) return;
    const { pair, kind } = pick(graveyard);
    counters.replays += 1;
    const verdict = before(pair, `replay of a dead ${kind} token`, true);
    if (kind === "access") {
      const res = await send("replay", "GET", "/api/me", { token: pair.access });
      if (res.status === 200) accepted(verdict, res);
      else if (!isRefusal(res, "access")) unexpected("replay", res, "401");
    } else {
      const res = await send("replay", "POST", "/api/auth/token", {
        form: { grant_type: "refresh_token", refresh_token: pair.refresh },
      });
      if (res.status === 200) accepted(verdict, res);
      else if (!isRefusal(res, "refresh")) unexpected("replay", res, "400 invalid_grant");
    }
  }

  /** After signing itself out, a device checks that its old tokens no longer work, then forgets them. */
  async function probeOwn(device: DeviceModel, pair: Pair): Promise<void> {
    if (random() < 0.5) await me(device, pair, "probe after own sign-out");
    else await refresh(device, pair, "probe after own sign-out");
    device.pair = null;
  }

  async function logout(device: DeviceModel, scope: "local" | "others" | "global"): Promise<void> {
    const user = device.user;
    const action = `logout_${scope}`;
    let signedOut: Pair | null = null;
    await write(device, async () => {
      const pair = device.pair;
      if (!pair) return;
      const verdict = before(pair, `POST /api/auth/logout ${scope}`);
      const res = await send(action, "POST", "/api/auth/logout", { token: pair.access, json: { scope } });
      if (res.status === 204) {
        accepted(verdict, res);
        if (scope === "local") {
          counters.logoutLocal += 1;
          kill(pair.session, res.sentSeq, res.doneSeq, "logout local");
          signedOut = pair;
        } else if (scope === "others") {
          counters.logoutOthers += 1;
          for (const session of user.sessions)
            if (session !== pair.session) kill(session, res.sentSeq, res.doneSeq, "logout others");
        } else {
          counters.logoutGlobal += 1;
          raiseEpoch(user, res, "logout global");
          signedOut = pair;
        }
      } else if (isRefusal(res, "access")) {
        refused(verdict, res);
        device.pair = null;
      } else {
        taintOnUnknownOutcome(user, res);
        unexpected(action, res, "204 or 401");
      }
    });
    if (signedOut) await probeOwn(device, signedOut);
  }

  async function deleteOther(device: DeviceModel): Promise<void> {
    const user = device.user;
    const done = await write(device, async () => {
      const pair = device.pair;
      if (!pair) return true;
      const targets = user.sessions.filter((s) => s.deadAt === null && s !== pair.session);
      if (targets.length === 0) return false;
      const target = pick(targets);
      const verdict = before(pair, "DELETE /api/sessions/{id}");
      const res = await send("delete_other", "DELETE", `/api/sessions/${encodeURIComponent(target.sid)}`, {
        token: pair.access,
      });
      if (res.status === 204) {
        accepted(verdict, res);
        counters.deleteOther += 1;
        kill(target, res.sentSeq, res.doneSeq, "deleted by a sibling");
      } else if (isRefusal(res, "access")) {
        refused(verdict, res);
        device.pair = null;
      } else {
        taintOnUnknownOutcome(user, res);
        unexpected("delete_other", res, "204 or 401", `target ${target.sid}, live in the model`);
      }
      return true;
    });
    if (done === false && device.pair) await listSessions(device, device.pair);
  }

  async function changePassword(device: DeviceModel): Promise<void> {
    const user = device.user;
    await write(device, async () => {
      const pair = device.pair;
      if (!pair) return;
      const newPassword = `${user.password.replace(/#\d+$/, "")}#${user.passwordChanges + 1}`;
      const verdict = before(pair, "POST /api/account/password");
      const res = await send("change_password", "POST", "/api/account/password", {
        token: pair.access,
        json: { currentPassword: user.password, newPassword },
      });
      if (res.status === 200) {
        accepted(verdict, res);
        counters.passwordChange += 1;
        user.passwordChanges += 1;
        user.password = newPassword;
        const access = String(res.body.access_token);
        const claims = claimsOf(access);
        // The caller's session moves to the new epoch first, so raiseEpoch spares it.
        const expected = user.epoch + 1;
        if (!claims || claims.sid !== pair.session.sid || claims.sv !== expected) {
          counters.unexpectedStatuses += 1;
          fail(`change_password: new token ${JSON.stringify(claims)}, expected sid ${pair.session.sid} sv ${expected}`);
        }
        if (!verdict.dead) pair.session.epoch = claims?.sv ?? expected;
        raiseEpoch(user, res, "password change");
        bury(pair); // the old pair is dead: its sv is below the new epoch
        setPair(device, {
          session: pair.session,
          sv: claims?.sv ?? expected,
          access,
          refresh: String(res.body.refresh_token),
          refreshAt: refreshAt(res),
        });
      } else if (isRefusal(res, "access")) {
        refused(verdict, res);
        device.pair = null;
      } else {
        taintOnUnknownOutcome(user, res);
        unexpected("change_password", res, "200 or 401");
      }
    });
  }

  const revocationMoves = [
    ["logout_local", "logoutLocal"],
    ["delete_other", "deleteOther"],
    ["logout_others", "logoutOthers"],
    ["logout_global", "logoutGlobal"],
    ["change_password", "passwordChange"],
  ] as const;

  function chooseMove(): SoakMove {
    // A soak that revoked nothing proves nothing: past a third of the time, a kind of revocation
    // that has not succeeded yet is sometimes forced (rare kinds in short runs on a slow machine).
    if (performance.now() > started + (deadline - started) / 3 && random() < 0.1) {
      const missing = revocationMoves.filter(([move, counter]) => counters[counter] === 0 && weights[move] > 0);
      if (missing.length) return pick(missing)[0];
    }
    let r = random() * totalWeight;
    for (const move of moves) {
      r -= Math.max(0, weights[move]);
      if (r < 0) return move;
    }
    return "me";
  }

  async function deviceLoop(device: DeviceModel): Promise<void> {
    while (performance.now() < deadline) {
      const pair = device.pair;
      if (!pair) {
        await signIn(device);
        continue;
      }
      if (performance.now() > pair.refreshAt) {
        await refresh(device, pair, "before the access token runs out");
        continue;
      }
      switch (chooseMove()) {
        case "me":
          await me(device, pair);
          break;
        case "refresh":
          await refresh(device, pair);
          break;
        case "sessions":
          await listSessions(device, pair);
          break;
        case "replay":
          if (graveyard.length) await replay();
          else await me(device, pair);
          break;
        case "logout_local":
          await logout(device, "local");
          break;
        case "delete_other":
          await deleteOther(device);
          break;
        case "logout_others":
          await logout(device, "others");
          break;
        case "logout_global":
          await logout(device, "global");
          break;
        case "change_password":
          await changePassword(device);
          break;
      }
    }
  }

  // ------------------------------------------------ set-up: users registered before the clock starts

  const health = await fetch(`${baseUrl}/api/health`).then((r) => r.json() as Promise<Record<string, unknown>>);
  const storage = `${String(health.database)} + ${String(health.revocationStore)}`;
  const userCount = Math.ceil(options.devices / perUser);
  log(
    `soak: ${options.devices} devices (${userCount} users), ${options.seconds} s, against ${baseUrl} (${storage}), seed ${seed}`,
  );
  for (let n = 0; n < userCount; n++) {
    users.push({
      n,
      email: `soak.${runId}.${n}@example.com`,
      password: `soak-password-${runId}-${n}`,
      id: "",
      epoch: 0,
      raises: [],
      lock: new Semaphore(1),
      writesInFlight: 0,
      writeGen: 0,
      sessions: [],
      passwordChanges: 0,
      tainted: false,
    });
  }
  for (let i = 0; i < users.length; i += 4) {
    await Promise.all(
      users.slice(i, i + 4).map(async (user) => {
        const res = await send("register", "POST", "/api/auth/register", {
          json: { email: user.email, password: user.password, name: `Soak ${user.n}` },
        });
        const id = (res.body as { user?: { id?: string } }).user?.id;
        if (res.status !== 201 || !id)
          throw new Error(`soak: registering ${user.email} answered ${res.status} ${JSON.stringify(res.body)}`);
        user.id = id;
      }),
    );
  }
  for (let i = 0; i < options.devices; i++) {
    const user = users[Math.floor(i / perUser)]!;
    const n = i % perUser;
    devices.push({
      user,
      n,
      name: `soak u${user.n} d${n}`,
      userAgent: `${USER_AGENTS[n % USER_AGENTS.length]} SoakDevice/${user.n}.${n}`,
      pair: null,
    });
  }

  // Every device signs in once before the clock starts, so that the timed phase is the soak itself.
  await Promise.all(
    devices.map(async (device) => {
      for (let attempt = 0; attempt < 3 && !device.pair; attempt++) await signIn(device, "first_sign_in");
      if (!device.pair) throw new Error(`soak: device ${device.name} could not sign in:\n${failures.join("\n")}`);
    }),
  );
  // One request per device at once, with nothing else going on: every device then has its own
  // keep-alive connection. Otherwise the first requests of the timed phase open ~150 connections
  // under full load, and a busy Next server accepts them one by one (seconds of latency that say
  // more about the load generator than about the app).
  await Promise.all(devices.map((device) => (device.pair ? me(device, device.pair, "warm-up", "warm_up") : undefined)));
  log(`soak: ${devices.length} devices signed in, starting the clock`);

  // ------------------------------------------------ the timed phase

  const requestsBefore = counters.requests;
  started = performance.now();
  deadline = started + options.seconds * 1000;
  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    const revocations =
      counters.logoutLocal +
      counters.deleteOther +
      counters.logoutOthers +
      counters.logoutGlobal +
      counters.passwordChange;
    log(
      `soak: ${elapsed.toFixed(0)} s, ${counters.requests - requestsBefore} requests (${((counters.requests - requestsBefore) / elapsed).toFixed(0)}/s), ` +
        `${counters.signIns} sign-ins, ${revocations} revocations, ${failures.length} failures`,
    );
  }, 10_000);
  try {
    await Promise.all(devices.map((device) => deviceLoop(device)));
  } finally {
    clearInterval(progress);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  const timedRequests = counters.requests - requestsBefore;

  // ------------------------------------------------ after the deadline: nothing in flight any more

  // Every refusal of a token the model believed live must be explained by a revocation sent before it.
  for (const refusal of refusals) {
    if (killSentSeq(refusal.pair) < refusal.doneSeq) continue;
    counters.unexpectedRefusals += 1;
    const s = refusal.pair.session;
    fail(
      `UNEXPECTED REFUSAL: ${refusal.what} of live session ${short(s.sid)} (user ${s.user.n}, sv ${refusal.pair.sv}, epoch ${s.user.epoch}) was refused with no revocation covering it`,
    );
  }

  // The final devices lists, through the API (both storage modes).
  for (const user of users) {
    if (user.tainted) continue;
    const holder = devices.find((d) => d.user === user && d.pair && !tokenDead(d.pair));
    if (!holder?.pair) continue;
    const pair = holder.pair;
    const res = await send("final_list", "GET", "/api/sessions", { token: pair.access });
    if (res.status === 200) compareList(user, pair, res, "final list");
    else unexpected("final_list", res, "200", `live session ${pair.session.sid}`);
  }

  const expectation: SessionExpectation = {
    users: users.map((u) => ({ id: u.id, epoch: u.epoch, tainted: u.tainted })),
    sessions: users.flatMap((u) =>
      u.sessions.map((s) => ({ id: s.sid, userId: u.id, epoch: s.epoch, live: s.deadAt === null })),
    ),
  };

  const database: SoakReport["database"] = { checked: false };
  if (options.databaseUrl) {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    try {
      const result = await checkSessionRows(
        expectation,
        async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[],
      );
      database.checked = true;
      database.rows = result.rows;
      database.expectedRows = result.expectedRows;
      counters.rowMismatches += result.mismatches.length;
      for (const line of result.mismatches) fail(`ROW MISMATCH: ${line}`);
    } finally {
      await client.end();
    }
  }

  const actions: Record<string, ActionStats> = {};
  for (const [action, list] of latencies) {
    const sorted = [...list].sort((a, b) => a - b);
    actions[action] = {
      requests: list.length,
      statuses: statuses.get(action) ?? {},
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted[sorted.length - 1] ?? 0,
    };
  }

  const report: SoakReport = {
    baseUrl,
    storage,
    devices: options.devices,
    users: users.length,
    seed,
    seconds: elapsedSeconds,
    requests: counters.requests,
    requestsPerSecond: timedRequests / elapsedSeconds,
    actions,
    slowest: slowest.map((x) => ({ ...x, atSeconds: (x.atSeconds - started) / 1000 })),
    signIns: counters.signIns,
    refreshes: counters.refreshes,
    revocations: {
      logoutLocal: counters.logoutLocal,
      deleteOther: counters.deleteOther,
      logoutOthers: counters.logoutOthers,
      logoutGlobal: counters.logoutGlobal,
      passwordChange: counters.passwordChange,
    },
    sessionsRevoked: counters.sessionsRevoked,
    replays: counters.replays,
    refusalChecks: counters.refusalChecks,
    listChecks: counters.listChecks,
    staleAcceptances: counters.staleAcceptances,
    lateRefusals: counters.lateRefusals,
    fiveXX: counters.fiveXX,
    tooManyRequests: counters.tooManyRequests,
    networkErrors: counters.networkErrors,
    unexpectedStatuses: counters.unexpectedStatuses,
    unexpectedRefusals: counters.unexpectedRefusals,
    listMismatches: counters.listMismatches,
    rowMismatches: counters.rowMismatches,
    database,
    expectation,
    failures,
    ok: false,
  };
  report.ok =
    report.signIns > 0 &&
    timedRequests > 0 &&
    report.staleAcceptances === 0 &&
    report.lateRefusals === 0 &&
    report.fiveXX === 0 &&
    report.tooManyRequests === 0 &&
    report.networkErrors === 0 &&
    report.unexpectedStatuses === 0 &&
    report.unexpectedRefusals === 0 &&
    report.listMismatches === 0 &&
    report.rowMismatches === 0;
  return report;
}

// ---------------------------------------------------------------- the database against the model

export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Session rows of the soak's users against the model: no duplicated id, no lost and no extra row
 * (one row per successful sign-in), every session the model believes live is live (not revoked,
 * epoch = the user's), every one it believes ended is not, and each user's epoch is the number of
 * successful "log out everywhere" and password changes. Works on pg and PGlite alike.
 */
export async function checkSessionRows(
  expectation: SessionExpectation,
  query: Query,
): Promise<{ rows: number; expectedRows: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  const ids = expectation.users.map((u) => u.id);
  const rows = await query(
    `SELECT s.id, s.user_id::text AS user_id, s.epoch, s.revoked_at IS NOT NULL AS revoked,
            (s.idle_expires_at > now() AND s.absolute_expires_at > now()) AS unexpired
       FROM device_sessions s WHERE s.user_id = ANY($1::uuid[])`,
    [ids],
  );
  const userRows = await query(`SELECT id::text AS id, session_epoch FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  const epochs = new Map(userRows.map((r) => [String(r.id), Number(r.session_epoch)]));
  const tainted = new Set(expectation.users.filter((u) => u.tainted).map((u) => u.id));

  const byId = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const id = String(row.id);
    byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  for (const [id, list] of byId) if (list.length > 1) mismatches.push(`session ${id} has ${list.length} rows`);

  for (const user of expectation.users) {
    if (user.tainted) continue;
    const dbEpoch = epochs.get(user.id);
    if (dbEpoch === undefined) mismatches.push(`user ${user.id} is missing`);
    else if (dbEpoch !== user.epoch)
      mismatches.push(
        `user ${user.id}: session_epoch ${dbEpoch} in the database, ${user.epoch} raises seen by the clients`,
      );
    const expectedRows = expectation.sessions.filter((s) => s.userId === user.id).length;
    const actualRows = rows.filter((r) => String(r.user_id) === user.id).length;
    if (expectedRows !== actualRows)
      mismatches.push(`user ${user.id}: ${actualRows} session rows, ${expectedRows} successful sign-ins`);
  }

  const known = new Set(expectation.sessions.map((s) => s.id));
  for (const row of rows) {
    if (!known.has(String(row.id)) && !tainted.has(String(row.user_id)))
      mismatches.push(`extra row ${String(row.id)} (user ${String(row.user_id)}): no client signed it in`);
  }
  for (const session of expectation.sessions) {
    if (tainted.has(session.userId)) continue;
    const row = byId.get(session.id)?.[0];
    if (!row) {
      mismatches.push(`lost row: session ${session.id} (user ${session.userId}) was signed in but has no row`);
      continue;
    }
    const userEpoch = epochs.get(session.userId) ?? -1;
    const epoch = Number(row.epoch);
    const liveInDb = row.revoked !== true && epoch >= userEpoch && row.unexpired === true;
    if (String(row.user_id) !== session.userId)
      mismatches.push(`session ${session.id} belongs to ${String(row.user_id)}, not ${session.userId}`);
    if (session.live && !liveInDb)
      mismatches.push(
        `session ${session.id} is live for its device but not in the database (revoked ${String(row.revoked)}, epoch ${epoch} / user ${userEpoch})`,
      );
    if (session.live && epoch !== session.epoch)
      mismatches.push(`session ${session.id}: epoch ${epoch} in the database, ${session.epoch} in its tokens`);
    if (!session.live && liveInDb)
      mismatches.push(
        `session ${session.id} was revoked for its clients but is live in the database (epoch ${epoch} / user ${userEpoch})`,
      );
  }
  return { rows: rows.length, expectedRows: expectation.sessions.length, mismatches };
}

// ---------------------------------------------------------------- printing

export function formatSoakReport(report: SoakReport): string {
  const lines: string[] = [];
  const pad = (value: string | number, width: number) => String(value).padStart(width);
  lines.push(`Soak against ${report.baseUrl} (${report.storage}), seed ${report.seed}`);
  lines.push(
    `${report.devices} devices, ${report.users} users, ${report.seconds.toFixed(1)} s, ${report.requests} requests, ` +
      `${report.requestsPerSecond.toFixed(1)} requests/s (timed phase; register, first_sign_in and warm_up happen before the clock)`,
  );
  lines.push("");
  lines.push(
    `${"action".padEnd(16)}${pad("requests", 9)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("max ms", 9)}  statuses`,
  );
  const order = [
    "register",
    "first_sign_in",
    "warm_up",
    "sign_in",
    "me",
    "refresh",
    "sessions",
    "replay",
    "logout_local",
    "delete_other",
    "logout_others",
    "logout_global",
    "change_password",
    "final_list",
  ];
  const names = [
    ...order.filter((a) => report.actions[a]),
    ...Object.keys(report.actions).filter((a) => !order.includes(a)),
  ];
  for (const name of names) {
    const a = report.actions[name]!;
    const codes = Object.entries(a.statuses)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([code, count]) => `${code}×${count}`)
      .join(" ");
    lines.push(
      `${name.padEnd(16)}${pad(a.requests, 9)}${pad(a.p50Ms.toFixed(1), 9)}${pad(a.p99Ms.toFixed(1), 9)}${pad(a.maxMs.toFixed(0), 9)}  ${codes}`,
    );
  }
  if (report.slowest.length) {
    lines.push(
      `slowest: ${report.slowest
        .slice(0, 5)
        .map((x) => `${x.action} ${x.ms.toFixed(0)} ms at ${x.atSeconds.toFixed(1)} s`)
        .join(", ")}`,
    );
  }
  lines.push("");
  const r = report.revocations;
  lines.push(`sign-ins ${report.signIns}, refreshes ${report.refreshes}, replays of dead tokens ${report.replays}`);
  lines.push(
    `revocations: local ${r.logoutLocal}, delete other ${r.deleteOther}, others ${r.logoutOthers}, global ${r.logoutGlobal}, password change ${r.passwordChange}; ` +
      `${report.sessionsRevoked} sessions ended`,
  );
  lines.push(
    `checked: ${report.refusalChecks} first requests of revoked devices, ${report.listChecks} device lists, ` +
      (report.database.checked
        ? `${report.database.rows} session rows (${report.database.expectedRows} sign-ins)`
        : "session rows not checked (no databaseUrl)"),
  );
  lines.push("");
  const check = (label: string, value: number) =>
    lines.push(`${value === 0 ? "ok  " : "FAIL"} ${label.padEnd(44)}${pad(value, 6)}`);
  check("stale acceptances (dead token -> 2xx)", report.staleAcceptances);
  check("late refusals (revoked device accepted once)", report.lateRefusals);
  check("5xx", report.fiveXX);
  check("429", report.tooManyRequests);
  check("transport errors / timeouts", report.networkErrors);
  check("unexpected refusals (live device refused)", report.unexpectedRefusals);
  check("unexpected statuses", report.unexpectedStatuses);
  check("device-list mismatches", report.listMismatches);
  check("session-row mismatches (lost/extra/state)", report.rowMismatches);
  if (report.failures.length) {
    lines.push("", "first failures:", ...report.failures.slice(0, 20).map((f) => `  - ${f}`));
  }
  lines.push("", report.ok ? "SOAK OK" : "SOAK FAILED");
  return lines.join("\n");
}
