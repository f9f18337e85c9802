import { describe, expect, it } from "vitest";
import { passkeyCeremonyFailure } from "@/components/passkey-error";

/** A DOMException as @simplewebauthn/browser passes it on: only its name tells what happened. */
function failure(name: string): Error {
  const error = new Error("the browser's own words");
  error.name = name;
  return error;
}

describe("a failed passkey ceremony", () => {
  it.each([
    ["NotAllowedError", "sign-in", "signInCancelled"],
    ["AbortError", "sign-in", "signInCancelled"],
    ["NotAllowedError", "registration", "registrationCancelled"],
    ["InvalidStateError", "registration", "alreadyRegistered"],
    ["InvalidStateError", "sign-in", "signInFailed"],
    ["NotSupportedError", "registration", "unsupported"],
    ["UnknownError", "sign-in", "signInFailed"],
    ["UnknownError", "registration", "registrationFailed"],
  ] as const)("%s during %s reads auth.passkey.%s", (name, ceremony, key) => {
    expect(passkeyCeremonyFailure(failure(name), ceremony)).toBe(key);
  });
});
