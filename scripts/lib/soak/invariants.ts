import type { Sent } from "./driver";
import { killSentSeq, tokenDead, type Pair, type SoakModel, type UserModel } from "./model";
import type { Tally } from "./tally";

/** The model's judgement of a token, taken when a request presenting it is sent. */
export interface Verdict {
  pair: Pair;
  dead: boolean;
  /** The first request of a revoked device after its revocation. */
  first: boolean;
  what: string;
}

interface RefusalRecord {
  pair: Pair;
  doneSeq: number;
  what: string;
}

/** A refusal of the caller's own token: 401 (or 400 invalid_grant for a refresh). */
export function isRefusal(res: Sent, kind: "access" | "refresh"): boolean {
  return kind === "access" ? res.status === 401 : res.status === 400 && res.body.error === "invalid_grant";
}

function short(value: string): string {
  return value.length > 14 ? `${value.slice(0, 10)}…` : value;
}

/**
 * The invariants, judged against the model: no dead token is accepted (a stale acceptance), a
 * revoked device is refused on its first request after the revocation (else a late refusal), a
 * live token is refused only when a revocation covering it was sent before the refusal arrived
 * (judged after the run), every status is one the API documents, and a device list shows exactly
 * the live sessions.
 */
export class Invariants {
  private readonly refusals: RefusalRecord[] = [];

  constructor(
    private readonly model: SoakModel,
    private readonly tally: Tally,
  ) {}

  /** Call before sending a request that presents `pair` (the device's own, unless a replay). */
  before(pair: Pair, what: string, replay = false): Verdict {
    const dead = tokenDead(pair);
    let first = false;
    if (dead && !replay && !pair.session.firstRequestChecked) {
      pair.session.firstRequestChecked = true;
      first = true;
    }
    return { pair, dead, first, what };
  }

  accepted(verdict: Verdict, res: Sent): void {
    if (!verdict.dead) return;
    this.tally.counters.staleAcceptances += 1;
    const s = verdict.pair.session;
    this.tally.fail(
      `STALE ACCEPTANCE: ${verdict.what} with a dead token answered ${res.status} (session ${short(s.sid)} of user ${s.user.n}, ` +
        `ended by ${s.killedBy ?? `epoch ${s.user.epoch} > sv ${verdict.pair.sv}`})`,
    );
    if (verdict.first) {
      this.tally.counters.lateRefusals += 1;
      this.tally.fail(
        `LATE REFUSAL: the first request of revoked session ${short(s.sid)} (${s.killedBy ?? "epoch"}) after the revocation was accepted: ${verdict.what}`,
      );
    }
  }

  refused(verdict: Verdict, res: Sent): void {
    if (verdict.first) this.tally.counters.refusalChecks += 1;
    if (!verdict.dead) this.refusals.push({ pair: verdict.pair, doneSeq: res.doneSeq, what: verdict.what });
  }

  /** 5xx, 429 and transport errors are counted by the load driver; anything else outside `expected` here. */
  unexpected(action: string, res: Sent, expected: string, context = ""): void {
    if (res.status === 0 || res.status >= 500 || res.status === 429) return;
    this.tally.counters.unexpectedStatuses += 1;
    this.tally.fail(
      `${action}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}${context ? ` (${context})` : ""}`,
    );
  }

  /** A devices list (GET /api/sessions) against the model: exactly the live sessions, `pair`'s as current. */
  compareList(user: UserModel, pair: Pair, res: Sent, label: string): void {
    this.tally.counters.listChecks += 1;
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
      this.tally.counters.listMismatches += 1;
      const describe = (id: string) => {
        const s = this.model.sessionsById.get(id);
        return s ? `${short(id)}(${s.killedBy ?? "live"})` : `${short(id)}(unknown)`;
      };
      this.tally.fail(
        `${label}: devices list of user ${user.n} differs from the model: listed but revoked ${extra.map(describe).join(", ") || "-"}; ` +
          `live but missing ${missing.map(describe).join(", ") || "-"}; current ${current.map(short).join(", ") || "-"}`,
      );
    }
  }

  /**
   * After the run, once every revocation's outcome is known: each refusal of a token the model
   * believed live must be explained by a revocation sent before the refusal arrived.
   */
  judgeRefusals(): void {
    for (const refusal of this.refusals) {
      if (killSentSeq(refusal.pair) < refusal.doneSeq) continue;
      this.tally.counters.unexpectedRefusals += 1;
      const s = refusal.pair.session;
      this.tally.fail(
        `UNEXPECTED REFUSAL: ${refusal.what} of live session ${short(s.sid)} (user ${s.user.n}, sv ${refusal.pair.sv}, epoch ${s.user.epoch}) was refused with no revocation covering it`,
      );
    }
  }
}
