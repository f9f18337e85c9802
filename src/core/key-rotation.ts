import type { PrivateJwk } from "./signing-keys";

/**
 * The next signing-key set, for each step of a rotation. The first key of a set signs; every key
 * verifies. A retired key is kept while a token it signed may still be valid (one access-token
 * lifetime), so no one is signed out; keeping the previous two is more than enough.
 */
export const PREVIOUS_KEYS_KEPT = 2;

export type KeyCommand = "generate" | "rotate" | "stage" | "promote";

export class KeyRotationError extends Error {}

export function nextKeySet(command: KeyCommand, current: PrivateJwk[], fresh: PrivateJwk): PrivateJwk[] {
  switch (command) {
    case "generate":
      return [fresh];
    // One instance: the new key signs at once, the old ones keep verifying.
    case "rotate":
      return [fresh, ...requireKeys(current).slice(0, PREVIOUS_KEYS_KEPT)];
    // Several instances, step 1: publish the new key (verify only) everywhere before it signs,
    // so no instance and no resource server's cached JWKS meets a token signed by a key it lacks.
    case "stage":
      if (requireKeys(current).length > PREVIOUS_KEYS_KEPT) {
        throw new KeyRotationError(`The set already holds ${current.length} keys: promote the staged key first.`);
      }
      return [...current, fresh];
    // Step 2, once every instance runs the staged set: the newest (last) key starts signing.
    case "promote": {
      const keys = requireKeys(current);
      const staged = keys.at(-1)!;
      if (keys.length < 2) throw new KeyRotationError("There is no staged key to promote: run keys:stage first.");
      return [staged, ...keys.slice(0, -1).slice(0, PREVIOUS_KEYS_KEPT)];
    }
  }
}

function requireKeys(current: PrivateJwk[]): PrivateJwk[] {
  if (current.length === 0) throw new KeyRotationError("The current key set is empty.");
  return current;
}
