import type { EngineDeps } from "./deps";
import type { UserRecord } from "./ports";

/**
 * The one check of an account's password, for every verb that asks for it (sign-in, password
 * change, re-authentication): refused with `rate_limited` while the account's failure budget is
 * spent (per account and address, and per account), and every wrong password counts against that
 * budget. Answers the user when the password is theirs, else null; `user` is null for an unknown
 * email (the same time is spent, the failure counted all the same). An account without a password
 * (made through an identity provider) has no password that matches.
 */
export type PasswordCheck = (
  email: string,
  user: UserRecord | null,
  password: string,
  ip: string | null,
) => Promise<(UserRecord & { passwordHash: string }) | null>;

export function createPasswordCheck(deps: Pick<EngineDeps, "hasher" | "rateLimits">): PasswordCheck {
  const { hasher, rateLimits } = deps;
  let dummyHash: Promise<string> | undefined;

  async function passwordMatches(hash: string | null | undefined, password: string): Promise<boolean> {
    if (hash) return hasher.verify(hash, password);
    // Unknown email, or an account without a password: spend the same argon2 time, so timing does
    // not tell which emails exist.
    dummyHash ??= hasher.hash("not-a-real-password-only-for-timing");
    await hasher.verify(await dummyHash, password);
    return false;
  }

  return async function verifyPasswordOf(email, user, password, ip) {
    await rateLimits.beforePasswordCheck(email, ip);
    const hash = user?.passwordHash ?? null;
    if ((await passwordMatches(hash, password)) && user && hash) {
      // With a second factor on, the password alone proves too little to forget the failures (wrong
      // codes count there too): the second step forgets them once it passes.
      if (!user.twoFactorEnabled) await rateLimits.passwordCheckSucceeded(email, ip);
      return { ...user, passwordHash: hash };
    }
    await rateLimits.passwordCheckFailed(email, ip);
    return null;
  };
}
