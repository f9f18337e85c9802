import type { Sent } from "./driver";
import type { Random } from "./random";
import type { Semaphore } from "./semaphore";
import type { SessionExpectation } from "./session-rows";
import type { Tally } from "./tally";

/**
 * The client-side model: what the clients know of every user, session and token pair, and from
 * which moment (a sequence number of the load driver) each token must be refused. Why that is
 * exact: run.ts.
 */

export interface UserModel {
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

export interface SessionModel {
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

export interface Pair {
  session: SessionModel;
  sv: number;
  access: string;
  refresh: string;
  /** performance.now() after which the device refreshes (80 % of the access token's lifetime). */
  refreshAt: number;
}

export interface DeviceModel {
  user: UserModel;
  n: number;
  name: string;
  userAgent: string;
  pair: Pair | null;
}

export interface BuriedToken {
  pair: Pair;
  kind: "access" | "refresh";
}

const GRAVEYARD_SIZE = 500;

export function tokenDead(pair: Pair): boolean {
  return pair.session.deadAt !== null || pair.sv < pair.session.user.epoch;
}

/** When the first revocation covering this token was sent (Infinity: none). */
export function killSentSeq(pair: Pair): number {
  let first = pair.session.killSentSeq ?? Infinity;
  for (const raise of pair.session.user.raises) {
    if (raise.epoch > pair.sv && raise.sentSeq < first) first = raise.sentSeq;
  }
  return first;
}

export class SoakModel {
  readonly users: UserModel[] = [];
  readonly devices: DeviceModel[] = [];
  readonly sessionsById = new Map<string, SessionModel>();
  /** Dead tokens kept for replays (a bounded random sample once full). */
  readonly graveyard: BuriedToken[] = [];

  constructor(
    private readonly random: Random,
    private readonly tally: Tally,
  ) {}

  bury(pair: Pair | null): void {
    if (!pair) return;
    for (const kind of ["access", "refresh"] as const) {
      if (this.graveyard.length < GRAVEYARD_SIZE) this.graveyard.push({ pair, kind });
      else this.graveyard[Math.floor(this.random() * GRAVEYARD_SIZE)] = { pair, kind };
    }
  }

  kill(session: SessionModel, sentSeq: number, doneSeq: number, reason: string): void {
    if (session.deadAt !== null) return;
    session.deadAt = doneSeq;
    session.killSentSeq = sentSeq;
    session.killedBy = reason;
    this.tally.counters.sessionsRevoked += 1;
    this.bury(session.lastPair);
  }

  raiseEpoch(user: UserModel, res: Sent, reason: string): void {
    user.epoch += 1;
    user.raises.push({ sentSeq: res.sentSeq, epoch: user.epoch });
    for (const session of user.sessions) {
      if (session.epoch < user.epoch) this.kill(session, res.sentSeq, res.doneSeq, reason);
    }
  }

  setPair(device: DeviceModel, pair: Pair | null): void {
    device.pair = pair;
    if (pair) {
      pair.session.lastPair = pair;
      if (tokenDead(pair)) this.bury(pair);
    }
  }

  /** What the database must hold once nothing is in flight any more. */
  expectation(): SessionExpectation {
    return {
      users: this.users.map((u) => ({ id: u.id, epoch: u.epoch, tainted: u.tainted })),
      sessions: this.users.flatMap((u) =>
        u.sessions.map((s) => ({ id: s.sid, userId: u.id, epoch: s.epoch, live: s.deadAt === null })),
      ),
    };
  }
}
