const MAX_FAILURES = 60;

function zeroCounters() {
  return {
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
}

export type Counters = ReturnType<typeof zeroCounters>;

/** What a run did and what it found wrong: counters, and the first failures in words. */
export class Tally {
  readonly counters: Counters = zeroCounters();
  readonly failures: string[] = [];

  /** Records a failure in words (the first few only; the counters count them all). */
  fail(line: string): void {
    if (this.failures.length < MAX_FAILURES) this.failures.push(line);
  }
}
