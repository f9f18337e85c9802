import type { IdentityRecord, PasskeyRecord, SignInMethodRepository, WayIn, WayInRemoval } from "@/core/ports";
import type { FakeUsers } from "./fakes";

/** The passkeys and external_identities tables, for unit tests of src/core. */
export class FakeSignInMethods implements SignInMethodRepository {
  readonly passkeys = new Map<string, PasskeyRecord>();
  readonly identities: IdentityRecord[] = [];
  constructor(private readonly users: FakeUsers) {}

  async listPasskeys(userId: string) {
    return [...this.passkeys.values()].filter((p) => p.userId === userId);
  }
  async findPasskey(credentialId: string) {
    const passkey = this.passkeys.get(credentialId);
    return passkey ? { ...passkey } : null;
  }
  async addPasskey(passkey: PasskeyRecord) {
    if (this.passkeys.has(passkey.id)) return false;
    this.passkeys.set(passkey.id, { ...passkey });
    return true;
  }
  /** No await inside: a compare-and-set, like the real one's single UPDATE. */
  async recordPasskeyUse(credentialId: string, args: { expectedCounter: number; newCounter: number; now: Date }) {
    const passkey = this.passkeys.get(credentialId);
    if (!passkey || passkey.counter !== args.expectedCounter) return false;
    passkey.counter = args.newCounter;
    passkey.lastUsedAt = args.now;
    return true;
  }
  findIdentity(..._args: unknown[]): Promise<IdentityRecord | null> {
    throw new Error("not built yet");
  }
  async listIdentities(userId: string) {
    return this.identities.filter((i) => i.userId === userId);
  }
  linkIdentity(..._args: unknown[]): Promise<"linked" | "taken"> {
    throw new Error("not built yet");
  }
  recordIdentityUse(..._args: unknown[]): Promise<void> {
    throw new Error("not built yet");
  }
  createUserWithIdentity(..._args: unknown[]): Promise<null> {
    throw new Error("not built yet");
  }
  /** No await inside: atomic, like the real one under its lock on the user's row. */
  async removeWayIn(userId: string, wayIn: WayIn): Promise<WayInRemoval> {
    const user = this.users.rows.get(userId);
    if (!user) return "not_found";
    const passkeys = [...this.passkeys.values()].filter((p) => p.userId === userId);
    const identities = this.identities.filter((i) => i.userId === userId);
    const found =
      wayIn.kind === "passkey"
        ? passkeys.some((p) => p.id === wayIn.id)
        : identities.some((i) => i.provider === wayIn.provider);
    if (!found) return "not_found";
    if ((user.passwordHash ? 1 : 0) + passkeys.length + identities.length - 1 < 1) return "last_way_in";
    if (wayIn.kind === "passkey") this.passkeys.delete(wayIn.id);
    else
      this.identities.splice(
        this.identities.findIndex((i) => i.userId === userId && i.provider === wayIn.provider),
        1,
      );
    return "removed";
  }
}
