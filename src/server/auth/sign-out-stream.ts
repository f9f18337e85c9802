import type { AccessClaims } from "@/core/access-tokens";
import type { RevocationNotice, RevocationReason, RevocationStore } from "@/core/ports";
import { newDeviceEventFor } from "../activity/new-device-push";
import type { RevocationFeed } from "../revocation/feed";
import type { SignedOutReason } from "./browser-session";

/** How often the stream re-asks the revocation store (a missed push, e.g. during a Redis outage). */
const RECHECK_MS = 10_000;
const SUBSCRIBED_AFTER_MS = 1_000;

/** Does this notice end the session of these claims? Returns the reason to show, or null. */
export function endsSession(
  notice: RevocationNotice,
  session: { sub: string; sid: string; sv: number },
): SignedOutReason | null {
  if (notice.userId !== session.sub || notice.type === "new_device_sign_in") return null;
  if (notice.type === "sessions_revoked")
    return notice.sessionIds.includes(session.sid) ? reasonFor(notice.reason) : null;
  if (notice.keepSessionId === session.sid) return null; // this device changed the password: it stays
  return notice.epoch > session.sv ? reasonFor(notice.reason) : null;
}

/** A record, so that a revocation reason added to the ports gets its own words on /login (or says so here). */
const SIGNED_OUT_REASON: Record<RevocationReason, SignedOutReason> = {
  logout: "logout",
  revoked_by_user: "revoked",
  logout_others: "revoked",
  logout_everywhere: "everywhere",
  password_change: "revoked",
  refresh_token_reused: "revoked",
  revoked_by_admin: "admin",
  user_disabled: "disabled",
  session_limit: "session_limit",
  password_reset: "password_reset",
  account_deleted: "account_deleted",
};

function reasonFor(reason: RevocationReason): SignedOutReason {
  return SIGNED_OUT_REASON[reason] ?? "revoked";
}

/**
 * A server-sent-events stream that says `signed-out` the moment this browser's session is revoked
 * (pushed through the revocation feed, so across instances with Redis), then ends. A heartbeat keeps
 * intermediaries from closing it; a periodic store check covers a push that was lost.
 */
export function signOutStream(args: {
  claims: AccessClaims;
  feed: RevocationFeed;
  store: RevocationStore;
  signal: AbortSignal;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const session = { sub: args.claims.sub, sid: args.claims.sid, sv: args.claims.sv };
  let cleanup = () => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      const end = (reason: SignedOutReason) => {
        send(`event: signed-out\ndata: ${JSON.stringify({ reason })}\n\n`);
        cleanup();
        controller.close();
      };
      const unsubscribe = args.feed.subscribe((notice) => {
        if (notice.type === "new_device_sign_in") {
          const event = newDeviceEventFor(notice, session); // a heads-up, not a sign-out
          if (event) send(event);
          return;
        }
        // This device changed the password: it moved to the new epoch and stays signed in.
        if (notice.type === "epoch_raised" && notice.keepSessionId === session.sid && notice.userId === session.sub)
          session.sv = Math.max(session.sv, notice.epoch);
        const reason = endsSession(notice, session);
        if (reason) end(reason);
      });
      const recheck = () =>
        void args.store
          .check(session.sid, session.sub)
          .then((state) => {
            if (state && (state.sessionRevoked || (state.minEpoch !== null && session.sv < state.minEpoch)))
              end("revoked");
          })
          .catch(() => undefined);
      const timer = setInterval(() => {
        send(": keep-alive\n\n");
        recheck();
      }, RECHECK_MS);
      // A revocation between the caller's check and the pub/sub subscription taking effect would not
      // be pushed: look once more when the subscription is surely live.
      const firstRecheck = setTimeout(recheck, SUBSCRIBED_AFTER_MS);
      cleanup = () => {
        if (!open) return;
        open = false;
        clearInterval(timer);
        clearTimeout(firstRecheck);
        unsubscribe();
        args.signal.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      args.signal.addEventListener("abort", onAbort);
      send("retry: 2000\n\nevent: ready\ndata: {}\n\n");
    },
    cancel() {
      cleanup();
    },
  });
}

/** A stream that says `signed-out` at once: the browser connected with no valid session. */
export function signedOutNow(reason: SignedOutReason): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(
        new TextEncoder().encode(`retry: 2000\n\nevent: signed-out\ndata: ${JSON.stringify({ reason })}\n\n`),
      );
      controller.close();
    },
  });
}
