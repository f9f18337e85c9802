import { expect } from "vitest";
import { AuthError } from "@/core/errors";

/** The AuthError a promise rejects with (the test fails when it resolves, or rejects with anything else). */
export async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}
