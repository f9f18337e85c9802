import type { PasswordCheck } from "./password-check";
import type { Reauthenticate } from "./reauthentication";
import type { RevocationFanout } from "./revocation-fanout";
import type { SessionStarter } from "./session-start";

/**
 * The pieces every group of verbs is built with (src/core/session-engine.ts makes each once): one
 * password check, one re-authentication rule, one way a session is born, one revocation fan-out.
 */
export interface EngineParts {
  fanout: RevocationFanout;
  verifyPasswordOf: PasswordCheck;
  reauthenticate: Reauthenticate;
  startSession: SessionStarter;
}
