"use client";

import { SubmitButton } from "./submit-button";

/** The header's submit button; lives inside `<form action={signOutAction}>`. */
export function SignOutButton() {
  return (
    <SubmitButton variant="secondary" pendingLabel="Signing out…" className="min-h-9 px-3 py-1.5">
      Sign out
    </SubmitButton>
  );
}
