import type { EngineDeps } from "./deps";
import type { UserRecord } from "./ports";

/**
 * The one check of an account's password, for every verb that asks for it (sign-in, password
 * change, re-authentication): refused with `rate_limited` while the account's failure budget is
 * spent (per account and address, and per account), and every wrong password counts against that
 * budget. Answers the user when the password is theirs, else null; `user` is null for an unknown
 * email (the same time is spent, the failure counted all the same).
 */
export type PasswordCheck = (
  email: string,
  user: UserRecord | null,
  password: string,
  ip: string | null,
) => Promise<UserRecord | null>;

export function createPasswordCheck(deps: Pick<EngineDeps, "hasher" | "rateLimits">): PasswordCheck {
  const { hasher, rateLimits } = deps;
  let dummyHash: Promise<string> | undefined;

  async function passwordMatches(hash: string | undefined, password: string): Promise<boolean> {
    if (hash) return hasher.verify(hash, password);
    // Unknown email: spend the same argon2 time, so timing does not tell which emails exist.
    dummyHash ??= hasher.hash("not-a-real-password-only-for-timing");
    await hasher.verify(await dummyHash, password);
    return false;
  }

  return async function verifyPasswordOf(email, user, password, ip) {
    await rateLimits.beforePasswordCheck(email, ip);
    if ((await passwordMatches(user?.passwordHash, password)) && user) {
      await rateLimits.passwordCheckSucceeded(email, ip);
      return user;
    }
    await rateLimits.passwordCheckFailed(email, ip);
    return null;
  };
}
