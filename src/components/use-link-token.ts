"use client";

import { useEffect, useSyncExternalStore } from "react";

/**
 * The `?token=` of an emailed link (/reset-password, /verify-email), read once in the browser and
 * then taken out of the address bar (history.replaceState to the bare path), so that it is not left
 * in the history, a bookmark, a screenshot or a shared address. The page keeps it in memory (and
 * posts it in the form's body); the server never renders it, and the page sends no Referer.
 *
 * Answers undefined until the browser has read the address (the server render and hydration), then
 * the token, or null when the address had none.
 */
export function useLinkToken(): string | null | undefined {
  const token = useSyncExternalStore(subscribe, readToken, () => undefined);
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has("token")) return;
    url.searchParams.delete("token");
    // Next's router follows replaceState (its own state is kept when given null).
    window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
  }, [token]);
  return token;
}

/** The token this page was opened with, kept once the address no longer shows it. */
let remembered: { path: string; token: string | null } | null = null;

function readToken(): string | null {
  const { pathname, search } = window.location;
  const fromAddress = new URLSearchParams(search).get("token");
  // A new link (or another page) replaces what was remembered; the stripped address keeps it.
  if (fromAddress !== null || remembered?.path !== pathname) remembered = { path: pathname, token: fromAddress };
  return remembered.token;
}

function subscribe(): () => void {
  return () => {};
}
