import type { EngineDeps } from "./deps";
import { AuthError } from "./errors";
import type { DeviceListEntry, UserRecord } from "./ports";
import { createRevocationFanout, type Propagation } from "./revocation-fanout";
import { emailSchema, parseInput } from "./validation";

/** What an administrator sees of an account (never its password hash). */
export interface AccountState {
  id: string;
  email: string;
  name: string | null;
  disabledAt: Date | null;
  sessionEpoch: number;
}

export type AdminOperations = ReturnType<typeof createAdminOperations>;

/**
 * The verbs of `npm run admin`. Every revocation goes through the same fan-out as the app's own
 * (database first, then revocation store, push, audit), with no actor session: the audit trail's
 * `actorSessionId: null` together with the reason `revoked_by_admin` / `user_disabled` names an
 * administrator. Users are named by email; unknown ones are `not_found`.
 */
export function createAdminOperations(deps: EngineDeps) {
  const { users, sessions, clock } = deps;
  const fanout = createRevocationFanout(deps);

  async function requireUser(email: string): Promise<UserRecord> {
    const normalised = parseInput(emailSchema, email);
    const user = await users.findByEmail(normalised);
    if (!user) throw new AuthError("not_found", `No user with the email ${normalised}.`);
    return user;
  }

  return {
    /** The account and its live sessions, most recently active first. */
    async describe(email: string): Promise<{ user: AccountState; sessions: DeviceListEntry[] }> {
      const user = await requireUser(email);
      const live = await sessions.listActive(user.id, new Date(clock()));
      return {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          disabledAt: user.disabledAt,
          sessionEpoch: user.sessionEpoch,
        },
        sessions: live,
      };
    },

    async revokeSession(email: string, sessionId: string): Promise<Propagation> {
      const user = await requireUser(email);
      const revoked = await sessions.revoke(sessionId, {
        userId: user.id,
        reason: "revoked_by_admin",
        revokedBy: null,
        now: new Date(clock()),
      });
      if (!revoked) throw new AuthError("not_found", `${user.email} has no live session ${sessionId}.`);
      return fanout.sessionsRevoked(user.id, [sessionId], "revoked_by_admin", null);
    },

    /** Raises the epoch: every session and token of the user is dead at once; new sign-ins work. */
    async revokeAll(email: string): Promise<Propagation> {
      const user = await requireUser(email);
      const epoch = await sessions.revokeEverywhere({
        userId: user.id,
        reason: "revoked_by_admin",
        revokedBy: null,
        now: new Date(clock()),
      });
      return fanout.epochRaised(user.id, epoch, "revoked_by_admin", null, {
        userId: user.id,
        sessionId: null,
        type: "session_revoked",
        reason: "revoked_by_admin",
        actorSessionId: null,
      });
    },

    /** Disables sign-in and kills every token (epoch raise). Null when it was already disabled. */
    async disable(email: string): Promise<Propagation | null> {
      const user = await requireUser(email);
      const epoch = await users.disable(user.id, new Date(clock()));
      if (epoch === null) return null;
      return fanout.epochRaised(user.id, epoch, "user_disabled", null, {
        userId: user.id,
        sessionId: null,
        type: "user_disabled",
        reason: "user_disabled",
        actorSessionId: null,
      });
    },

    /** Allows sign-in again; sessions ended by the disable stay ended. False when it was not disabled. */
    async enable(email: string): Promise<boolean> {
      const user = await requireUser(email);
      if (!(await users.enable(user.id))) return false;
      await fanout.audit([{ userId: user.id, sessionId: null, type: "user_enabled", actorSessionId: null }]);
      return true;
    },
  };
}
