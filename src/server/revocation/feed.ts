import type { RevocationNotice, RevocationNotifier, RevocationReason } from "@/core/ports";
import { parseNewDeviceNotice } from "../activity/new-device-push";

/** A record, so that a reason added to the ports cannot be forgotten here (its notices would be dropped). */
const REASONS: Record<RevocationReason, true> = {
  logout: true,
  revoked_by_user: true,
  logout_others: true,
  logout_everywhere: true,
  password_change: true,
  refresh_token_reused: true,
  revoked_by_admin: true,
  user_disabled: true,
  session_limit: true,
  password_reset: true,
  account_deleted: true,
};

function isReason(value: unknown): value is RevocationReason {
  return typeof value === "string" && Object.hasOwn(REASONS, value);
}

export type RevocationListener = (notice: RevocationNotice) => void;

/**
 * A notifier that can also be listened to: the server-sent-events route subscribes, the engine
 * publishes. In-process (memory) or across instances (Redis pub/sub).
 */
export interface RevocationFeed extends RevocationNotifier {
  /** Returns the unsubscribe function. */
  subscribe(listener: RevocationListener): () => void;
  /** Drops every listener and frees what the feed owns (never a client it was given). */
  close(): Promise<void>;
}

/** Parses a notice received from outside the process; null for anything malformed. */
export function parseRevocationNotice(text: string): RevocationNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.type === "new_device_sign_in") return parseNewDeviceNotice(v);
  if (typeof v.userId !== "string" || v.userId.length === 0 || !isReason(v.reason)) return null;
  if (v.type === "sessions_revoked") {
    const ids = v.sessionIds;
    if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === "string")) return null;
    return { type: "sessions_revoked", userId: v.userId, sessionIds: ids, reason: v.reason };
  }
  if (v.type === "epoch_raised") {
    if (typeof v.epoch !== "number" || !Number.isSafeInteger(v.epoch)) return null;
    const keep = v.keepSessionId;
    if (keep !== null && typeof keep !== "string") return null;
    return { type: "epoch_raised", userId: v.userId, epoch: v.epoch, keepSessionId: keep, reason: v.reason };
  }
  return null;
}

/** Calls every listener; one that throws must not starve the others. */
export function deliver(
  listeners: Iterable<RevocationListener>,
  notice: RevocationNotice,
  onError: (error: unknown) => void,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(notice);
    } catch (error) {
      onError(error);
    }
  }
}
