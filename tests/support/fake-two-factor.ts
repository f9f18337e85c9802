import type { TotpRecord, TwoFactorRepository } from "@/core/ports";
import type { FakeUsers } from "./fakes";

/** The totp_credentials and recovery_codes tables, for unit tests of src/core. */
export class FakeTwoFactor implements TwoFactorRepository {
  readonly totp = new Map<string, TotpRecord>();
  constructor(private readonly users: FakeUsers) {}

  async findTotp(userId: string) {
    const row = this.totp.get(userId);
    return row ? { ...row } : null;
  }
  savePendingTotp(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  enableTotp(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  useTotpStep(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  useRecoveryCode(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  async countRecoveryCodes() {
    return 0;
  }
  replaceRecoveryCodes(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  disableTotp(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
}
