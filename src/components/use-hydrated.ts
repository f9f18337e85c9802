"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the page, true from then on. A control
 * that only works with scripts (a WebAuthn ceremony, a confirmation that opens a dialog, a form
 * submitted by fetch) is disabled until then, so a click or an Enter before that is not lost, and a
 * form whose handler has not attached cannot fall back to a native GET that would put its fields,
 * a password among them, in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
