import type { PasswordCheck } from "./password-check";
import type { Reauthenticate } from "./reauthentication";
import type { RevocationFanout } from "./revocation-fanout";
import type { SessionStarter } from "./session-start";
import type { AnnounceChange } from "./sign-in-method-changes";

/**
 * The pieces every group of verbs is built with (src/core/session-engine.ts makes each once): one
 * password check, one re-authentication rule, one way a session is born, one revocation fan-out,
 * one way to tell the owner that the ways into their account changed.
 */
export interface EngineParts {
  fanout: RevocationFanout;
  verifyPasswordOf: PasswordCheck;
  reauthenticate: Reauthenticate;
  startSession: SessionStarter;
  announce: AnnounceChange;
}
