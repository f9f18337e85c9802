import type { ActionStats, SlowRequest } from "./request-stats";
import type { SessionExpectation } from "./session-rows";
import type { Counters } from "./tally";

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
  /** The slowest requests, from when they were sent. */
  slowest: SlowRequest[];
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

/** What a run adds up to; `ok` is the verdict: it did something, and no invariant failed. */
export function soakReport(
  run: Omit<SoakReport, keyof Counters | "revocations" | "requestsPerSecond" | "ok"> & {
    counters: Counters;
    timedRequests: number;
  },
): SoakReport {
  const { counters: c, timedRequests, ...rest } = run;
  const report: SoakReport = {
    ...rest,
    requests: c.requests,
    requestsPerSecond: timedRequests / run.seconds,
    signIns: c.signIns,
    refreshes: c.refreshes,
    revocations: {
      logoutLocal: c.logoutLocal,
      deleteOther: c.deleteOther,
      logoutOthers: c.logoutOthers,
      logoutGlobal: c.logoutGlobal,
      passwordChange: c.passwordChange,
    },
    sessionsRevoked: c.sessionsRevoked,
    replays: c.replays,
    refusalChecks: c.refusalChecks,
    listChecks: c.listChecks,
    staleAcceptances: c.staleAcceptances,
    lateRefusals: c.lateRefusals,
    fiveXX: c.fiveXX,
    tooManyRequests: c.tooManyRequests,
    networkErrors: c.networkErrors,
    unexpectedStatuses: c.unexpectedStatuses,
    unexpectedRefusals: c.unexpectedRefusals,
    listMismatches: c.listMismatches,
    rowMismatches: c.rowMismatches,
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
