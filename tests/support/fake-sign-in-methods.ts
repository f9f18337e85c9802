import type {
  IdentityRecord,
  PasskeyRecord,
  SignInMethodRepository,
  UserRecord,
  WayIn,
  WayInRemoval,
} from "@/core/ports";
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
  async findIdentity(provider: string, subject: string) {
    const row = this.identities.find((i) => i.provider === provider && i.subject === subject);
    return row ? { ...row } : null;
  }
  async listIdentities(userId: string) {
    return this.identities.filter((i) => i.userId === userId);
  }
  /** No await inside: atomic, like the table's two unique keys. */
  async linkIdentity(identity: IdentityRecord): Promise<"linked" | "taken"> {
    const taken = this.identities.some(
      (i) =>
        (i.provider === identity.provider && i.subject === identity.subject) ||
        (i.userId === identity.userId && i.provider === identity.provider),
    );
    if (taken || !this.users.rows.has(identity.userId)) return "taken";
    this.identities.push({ ...identity });
    return "linked";
  }
  async recordIdentityUse(provider: string, subject: string, now: Date) {
    const row = this.identities.find((i) => i.provider === provider && i.subject === subject);
    if (row) row.lastUsedAt = now;
  }
  /** No await inside: one transaction, like the real one. */
  async createUserWithIdentity(
    user: { id: string; email: string; name: string | null; emailVerifiedAt: Date | null },
    identity: IdentityRecord,
  ): Promise<UserRecord | null> {
    const emailTaken = [...this.users.rows.values()].some((u) => u.email === user.email);
    const linked = this.identities.some((i) => i.provider === identity.provider && i.subject === identity.subject);
    if (emailTaken || linked) return null;
    const row: UserRecord = {
      ...user,
      passwordHash: null,
      sessionEpoch: 0,
      disabledAt: null,
      twoFactorEnabled: false,
    };
    this.users.rows.set(user.id, row);
    this.identities.push({ ...identity, userId: user.id });
    return { ...row };
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
