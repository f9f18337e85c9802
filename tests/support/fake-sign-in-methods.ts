import type { IdentityRecord, PasskeyRecord, SignInMethodRepository, WayInRemoval } from "@/core/ports";
import type { FakeUsers } from "./fakes";

/** The passkeys and external_identities tables, for unit tests of src/core. */
export class FakeSignInMethods implements SignInMethodRepository {
  readonly passkeys = new Map<string, PasskeyRecord>();
  readonly identities: IdentityRecord[] = [];
  constructor(private readonly users: FakeUsers) {}

  async listPasskeys(userId: string) {
    return [...this.passkeys.values()].filter((p) => p.userId === userId);
  }
  findPasskey(..._args: unknown[]): Promise<PasskeyRecord | null> {
    throw new Error("not built yet");
  }
  addPasskey(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  recordPasskeyUse(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
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
  removeWayIn(..._args: unknown[]): Promise<WayInRemoval> {
    throw new Error("not built yet");
  }
}
