import { performance } from "node:perf_hooks";
import { claimsOf } from "./claims";
import type { SoakClock } from "./clock";
import type { LoadDriver, Sent } from "./driver";
import { isRefusal, type Invariants } from "./invariants";
import type { DeviceModel, Pair, SessionModel, SoakModel, UserModel } from "./model";
import { pick, type Random } from "./random";
import type { Tally } from "./tally";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refreshAt(res: Sent): number {
  const seconds = Number(res.body.expires_in);
  return performance.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 800;
}

function taintOnUnknownOutcome(user: UserModel, res: Sent): void {
  if (res.status === 0 || res.status >= 500) user.tainted = true;
}

/**
 * What a device can do, each as the API's client would do it: the request through the load driver,
 * the answer judged by the invariants, the model updated with what succeeded. Writes (sign-in,
 * revocations, password change) are serialized per user, like one person acting on one account;
 * reads and refreshes run concurrently with them, which is where revocation races live.
 */
export class DeviceActions {
  constructor(
    private readonly driver: LoadDriver,
    private readonly model: SoakModel,
    private readonly checks: Invariants,
    private readonly tally: Tally,
    private readonly random: Random,
    private readonly clock: SoakClock,
  ) {}

  /** Runs one write of the device's user, after the user's earlier writes; none past the deadline. */
  private async write<T>(device: DeviceModel, run: () => Promise<T>): Promise<T | undefined> {
    const user = device.user;
    await user.lock.acquire();
    try {
      if (this.clock.over()) return undefined;
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

  async signIn(device: DeviceModel, action = "sign_in"): Promise<void> {
    const { counters } = this.tally;
    const user = device.user;
    const res = await this.write(device, () =>
      this.driver.send(action, "POST", "/api/auth/token", {
        form: { grant_type: "password", username: user.email, password: user.password, device_name: device.name },
        userAgent: device.userAgent,
      }),
    );
    if (!res) return;
    if (res.status !== 200) {
      taintOnUnknownOutcome(user, res);
      this.checks.unexpected(action, res, "200");
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
      this.tally.fail(
        `sign_in: the access token does not name session ${sid} of user ${user.id}: ${JSON.stringify(claims)}`,
      );
    } else if (claims.sv !== user.epoch && !user.tainted) {
      counters.unexpectedStatuses += 1;
      this.tally.fail(`sign_in: sv ${claims.sv} but the user's epoch is ${user.epoch} (user ${user.n})`);
    }
    if (this.model.sessionsById.has(sid)) {
      counters.rowMismatches += 1;
      this.tally.fail(`sign_in: session id ${sid} was handed out twice`);
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
    this.model.sessionsById.set(sid, session);
    user.sessions.push(session);
    this.model.setPair(device, { session, sv: session.epoch, access, refresh, refreshAt: refreshAt(res) });
  }

  async me(device: DeviceModel, pair: Pair, label = "me", action = "me"): Promise<void> {
    const verdict = this.checks.before(pair, `GET /api/me (${label})`);
    const res = await this.driver.send(action, "GET", "/api/me", { token: pair.access });
    if (res.status === 200) {
      this.checks.accepted(verdict, res);
      const body = res.body as { user?: { id?: string }; session?: { id?: string } };
      if (body.user?.id !== pair.session.user.id || body.session?.id !== pair.session.sid) {
        this.tally.counters.unexpectedStatuses += 1;
        this.tally.fail(`me: answered for ${JSON.stringify(body).slice(0, 200)}, expected session ${pair.session.sid}`);
      }
    } else if (isRefusal(res, "access")) {
      this.checks.refused(verdict, res);
      if (device.pair === pair) device.pair = null;
    } else {
      this.checks.unexpected("me", res, "200 or 401");
    }
  }

  async refresh(device: DeviceModel, pair: Pair, label = "refresh"): Promise<void> {
    const verdict = this.checks.before(pair, `refresh_token grant (${label})`);
    const res = await this.driver.send("refresh", "POST", "/api/auth/token", {
      form: { grant_type: "refresh_token", refresh_token: pair.refresh },
    });
    if (res.status === 200) {
      this.checks.accepted(verdict, res);
      this.tally.counters.refreshes += 1;
      const access = String(res.body.access_token);
      const claims = claimsOf(access);
      if (!claims || res.body.session_id !== pair.session.sid || claims.sid !== pair.session.sid) {
        this.tally.counters.unexpectedStatuses += 1;
        this.tally.fail(
          `refresh: session ${pair.session.sid} came back as ${String(res.body.session_id)} / ${JSON.stringify(claims)}`,
        );
        return;
      }
      if (device.pair === pair)
        this.model.setPair(device, {
          session: pair.session,
          sv: claims.sv,
          access,
          refresh: String(res.body.refresh_token),
          refreshAt: refreshAt(res),
        });
    } else if (isRefusal(res, "refresh")) {
      this.checks.refused(verdict, res);
      if (device.pair === pair) device.pair = null;
    } else {
      this.checks.unexpected("refresh", res, "200 or 400 invalid_grant");
    }
  }

  async listSessions(device: DeviceModel, pair: Pair): Promise<void> {
    const user = device.user;
    const verdict = this.checks.before(pair, "GET /api/sessions");
    const quiet = user.writesInFlight === 0;
    const gen = user.writeGen;
    const res = await this.driver.send("sessions", "GET", "/api/sessions", { token: pair.access });
    if (res.status === 200) {
      this.checks.accepted(verdict, res);
      if (quiet && gen === user.writeGen && !verdict.dead && !user.tainted)
        this.checks.compareList(user, pair, res, "sessions");
    } else if (isRefusal(res, "access")) {
      this.checks.refused(verdict, res);
      if (device.pair === pair) device.pair = null;
    } else {
      this.checks.unexpected("sessions", res, "200 or 401");
    }
  }

  /** The user's devices list at the end of the run, through a live session of the user's. */
  async finalList(user: UserModel, pair: Pair): Promise<void> {
    const res = await this.driver.send("final_list", "GET", "/api/sessions", { token: pair.access });
    if (res.status === 200) this.checks.compareList(user, pair, res, "final list");
    else this.checks.unexpected("final_list", res, "200", `live session ${pair.session.sid}`);
  }

  /** A dead token from the graveyard, presented again: it must be refused. */
  async replay(): Promise<void> {
    const graveyard = this.model.graveyard;
    if (graveyard.length === 0) return;
    const { pair, kind } = pick(this.random, graveyard);
    this.tally.counters.replays += 1;
    const verdict = this.checks.before(pair, `replay of a dead ${kind} token`, true);
    if (kind === "access") {
      const res = await this.driver.send("replay", "GET", "/api/me", { token: pair.access });
      if (res.status === 200) this.checks.accepted(verdict, res);
      else if (!isRefusal(res, "access")) this.checks.unexpected("replay", res, "401");
    } else {
      const res = await this.driver.send("replay", "POST", "/api/auth/token", {
        form: { grant_type: "refresh_token", refresh_token: pair.refresh },
      });
      if (res.status === 200) this.checks.accepted(verdict, res);
      else if (!isRefusal(res, "refresh")) this.checks.unexpected("replay", res, "400 invalid_grant");
    }
  }

  /** After signing itself out, a device checks that its old tokens no longer work, then forgets them. */
  private async probeOwn(device: DeviceModel, pair: Pair): Promise<void> {
    if (this.random() < 0.5) await this.me(device, pair, "probe after own sign-out");
    else await this.refresh(device, pair, "probe after own sign-out");
    device.pair = null;
  }

  async logout(device: DeviceModel, scope: "local" | "others" | "global"): Promise<void> {
    const { counters } = this.tally;
    const user = device.user;
    const action = `logout_${scope}`;
    let signedOut: Pair | null = null;
    await this.write(device, async () => {
      const pair = device.pair;
      if (!pair) return;
      const verdict = this.checks.before(pair, `POST /api/auth/logout ${scope}`);
      const res = await this.driver.send(action, "POST", "/api/auth/logout", { token: pair.access, json: { scope } });
      if (res.status === 204) {
        this.checks.accepted(verdict, res);
        if (scope === "local") {
          counters.logoutLocal += 1;
          this.model.kill(pair.session, res.sentSeq, res.doneSeq, "logout local");
          signedOut = pair;
        } else if (scope === "others") {
          counters.logoutOthers += 1;
          for (const session of user.sessions)
            if (session !== pair.session) this.model.kill(session, res.sentSeq, res.doneSeq, "logout others");
        } else {
          counters.logoutGlobal += 1;
          this.model.raiseEpoch(user, res, "logout global");
          signedOut = pair;
        }
      } else if (isRefusal(res, "access")) {
        this.checks.refused(verdict, res);
        device.pair = null;
      } else {
        taintOnUnknownOutcome(user, res);
        this.checks.unexpected(action, res, "204 or 401");
      }
    });
    if (signedOut) await this.probeOwn(device, signedOut);
  }

  async deleteOther(device: DeviceModel): Promise<void> {
    const user = device.user;
    const done = await this.write(device, async () => {
      const pair = device.pair;
      if (!pair) return true;
      const targets = user.sessions.filter((s) => s.deadAt === null && s !== pair.session);
      if (targets.length === 0) return false;
      const target = pick(this.random, targets);
      const verdict = this.checks.before(pair, "DELETE /api/sessions/{id}");
      const res = await this.driver.send("delete_other", "DELETE", `/api/sessions/${encodeURIComponent(target.sid)}`, {
        token: pair.access,
      });
      if (res.status === 204) {
        this.checks.accepted(verdict, res);
        this.tally.counters.deleteOther += 1;
        this.model.kill(target, res.sentSeq, res.doneSeq, "deleted by a sibling");
      } else if (isRefusal(res, "access")) {
        this.checks.refused(verdict, res);
        device.pair = null;
      } else {
        taintOnUnknownOutcome(user, res);
        this.checks.unexpected("delete_other", res, "204 or 401", `target ${target.sid}, live in the model`);
      }
      return true;
    });
    if (done === false && device.pair) await this.listSessions(device, device.pair);
  }

  async changePassword(device: DeviceModel): Promise<void> {
    const user = device.user;
    await this.write(device, async () => {
      const pair = device.pair;
      if (!pair) return;
      const newPassword = `${user.password.replace(/#\d+$/, "")}#${user.passwordChanges + 1}`;
      const verdict = this.checks.before(pair, "POST /api/account/password");
      const res = await this.driver.send("change_password", "POST", "/api/account/password", {
        token: pair.access,
        json: { currentPassword: user.password, newPassword },
      });
      if (res.status === 200) {
        this.checks.accepted(verdict, res);
        this.tally.counters.passwordChange += 1;
        user.passwordChanges += 1;
        user.password = newPassword;
        const access = String(res.body.access_token);
        const claims = claimsOf(access);
        // The caller's session moves to the new epoch first, so raiseEpoch spares it.
        const expected = user.epoch + 1;
        if (!claims || claims.sid !== pair.session.sid || claims.sv !== expected) {
          this.tally.counters.unexpectedStatuses += 1;
          this.tally.fail(
            `change_password: new token ${JSON.stringify(claims)}, expected sid ${pair.session.sid} sv ${expected}`,
          );
        }
        if (!verdict.dead) pair.session.epoch = claims?.sv ?? expected;
        this.model.raiseEpoch(user, res, "password change");
        this.model.bury(pair); // the old pair is dead: its sv is below the new epoch
        this.model.setPair(device, {
          session: pair.session,
          sv: claims?.sv ?? expected,
          access,
          refresh: String(res.body.refresh_token),
          refreshAt: refreshAt(res),
        });
      } else if (isRefusal(res, "access")) {
        this.checks.refused(verdict, res);
        device.pair = null;
      } else {
        taintOnUnknownOutcome(user, res);
        this.checks.unexpected("change_password", res, "200 or 401");
      }
    });
  }
}
