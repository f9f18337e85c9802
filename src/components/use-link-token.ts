"use client";

import { useEffect, useState } from "react";

/**
 * The `?token=` of an emailed link (/reset-password, /verify-email), read once in the browser and
 * then taken out of the address bar (history.replaceState to the bare path), so that it is not left
 * in the history, a bookmark, a screenshot or a shared address, and so that no later request of the
 * page (its server action's POST goes to the router's current address) carries it. The page keeps
 * it in memory and posts it in a form's body; the server never renders it; no Referer is sent.
 *
 * Answers undefined until the address has been read and stripped, then the token, or null when the
 * address had none.
 */
export function useLinkToken(): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    // A task later, not in this effect: Next's router patches history.replaceState in an effect of
    // its own, which runs after this one (it is an ancestor). Through its patch, the router learns
    // the bare address too, and posts server actions there.
    const timer = setTimeout(() => {
      const url = new URL(window.location.href);
      const fromAddress = url.searchParams.get("token");
      if (fromAddress !== null) {
        url.searchParams.delete("token");
        window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
        remembered = { path: url.pathname, token: fromAddress };
      }
      setToken(remembered?.path === url.pathname ? remembered.token : null);
    }, 0);
    return () => clearTimeout(timer);
  }, []);
  return token;
}

/** The token this page was opened with, for a remount once the address no longer shows it. */
let remembered: { path: string; token: string } | null = null;
