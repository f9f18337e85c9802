import type { AccessClaims } from "./access-claims";
import type { EngineDeps } from "./deps";
import { errorMessage } from "./errors";
import type { AccountMail, SessionEventInput, SignInMethodChange, UserRecord } from "./ports";
import type { RevocationFanout } from "./revocation-fanout";
import type { RequestContext } from "./session-engine";

/**
 * Mail is not waited for: a slow or failing mail server must neither slow nor fail the request
 * (nor tell, by its timing, whether an account exists). A failure is logged, never its content.
 */
export function postMail(deps: Pick<EngineDeps, "mailer" | "logger">, mail: AccountMail, userId: string): void {
  void Promise.resolve()
    .then(() => deps.mailer.send(mail))
    .catch((error: unknown) =>
      deps.logger.warn("account_mail_failed", { kind: mail.kind, userId, error: errorMessage(error) }),
    );
}

/** Where a change to the ways in happened: the event's sessions, address and reason. */
export type ChangeEvent = Pick<SessionEventInput, "sessionId" | "actorSessionId" | "ip" | "userAgent" | "reason">;

/**
 * Tells the owner about a change to the ways into their account (two-factor sign-in, recovery
 * codes, passkeys, connected identities): the event in the activity log, then the mail (best
 * effort), marked when it went to an address not verified yet. `detail` names the passkey or the
 * provider; `remaining`, the recovery codes left.
 */
export type AnnounceChange = (
  user: UserRecord,
  change: SignInMethodChange,
  event: ChangeEvent,
  mail?: { detail?: string | null; remaining?: number },
) => Promise<void>;

export function createChangeAnnouncer(
  deps: Pick<EngineDeps, "mailer" | "logger" | "clock">,
  fanout: RevocationFanout,
): AnnounceChange {
  return async function announce(user, change, event, mail = {}) {
    await fanout.audit([{ userId: user.id, type: change, ...event, mailUnverified: !user.emailVerifiedAt }]);
    postMail(
      deps,
      {
        kind: "sign_in_methods_changed",
        to: user.email,
        name: user.name,
        locale: user.locale,
        change,
        detail: mail.detail ?? null,
        at: new Date(deps.clock()),
        ip: event.ip ?? null,
        ...(mail.remaining === undefined ? {} : { remaining: mail.remaining }),
      },
      user.id,
    );
  };
}

/** A change made by the holder of `claims` (from a signed-in device): the event names that session. */
export function changedBy(claims: Pick<AccessClaims, "sid">, context: Pick<RequestContext, "ip">): ChangeEvent {
  return { sessionId: claims.sid, actorSessionId: claims.sid, ip: context.ip };
}
