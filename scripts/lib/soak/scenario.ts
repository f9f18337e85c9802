import { performance } from "node:perf_hooks";
import type { DeviceActions } from "./actors";
import type { SoakClock } from "./clock";
import type { DeviceModel, SoakModel } from "./model";
import type { SoakMove } from "./options";
import { pick, type Random } from "./random";
import type { Counters } from "./tally";

const REVOCATION_MOVES = [
  ["logout_local", "logoutLocal"],
  ["delete_other", "deleteOther"],
  ["logout_others", "logoutOthers"],
  ["logout_global", "logoutGlobal"],
  ["change_password", "passwordChange"],
] as const;

/** Draws a device's next move by weight. */
export function moveChooser(
  weights: Record<SoakMove, number>,
  random: Random,
  clock: SoakClock,
  counters: Counters,
): () => SoakMove {
  const moves = Object.keys(weights) as SoakMove[];
  const totalWeight = moves.reduce((sum, move) => sum + Math.max(0, weights[move]), 0);
  return () => {
    // A soak that revoked nothing proves nothing: past a third of the time, a kind of revocation
    // that has not succeeded yet is sometimes forced (rare kinds in short runs on a slow machine).
    if (clock.pastFirstThird() && random() < 0.1) {
      const missing = REVOCATION_MOVES.filter(([move, counter]) => counters[counter] === 0 && weights[move] > 0);
      if (missing.length) return pick(random, missing)[0];
    }
    let r = random() * totalWeight;
    for (const move of moves) {
      r -= Math.max(0, weights[move]);
      if (r < 0) return move;
    }
    return "me";
  };
}

/**
 * One device until the deadline: signed out, it signs in again; its access token near its end, it
 * refreshes; otherwise it makes the next move drawn.
 */
export async function deviceLoop(
  device: DeviceModel,
  act: DeviceActions,
  model: SoakModel,
  clock: SoakClock,
  chooseMove: () => SoakMove,
): Promise<void> {
  while (!clock.over()) {
    const pair = device.pair;
    if (!pair) {
      await act.signIn(device);
      continue;
    }
    if (performance.now() > pair.refreshAt) {
      await act.refresh(device, pair, "before the access token runs out");
      continue;
    }
    switch (chooseMove()) {
      case "me":
        await act.me(device, pair);
        break;
      case "refresh":
        await act.refresh(device, pair);
        break;
      case "sessions":
        await act.listSessions(device, pair);
        break;
      case "replay":
        if (model.graveyard.length) await act.replay();
        else await act.me(device, pair);
        break;
      case "logout_local":
        await act.logout(device, "local");
        break;
      case "delete_other":
        await act.deleteOther(device);
        break;
      case "logout_others":
        await act.logout(device, "others");
        break;
      case "logout_global":
        await act.logout(device, "global");
        break;
      case "change_password":
        await act.changePassword(device);
        break;
    }
  }
}
