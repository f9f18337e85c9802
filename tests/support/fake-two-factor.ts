import type { TotpRecord, TwoFactorRepository } from "@/core/ports";
import type { FakeUsers } from "./fakes";

/**
 * The totp_credentials and recovery_codes tables, for unit tests of src/core. No await inside a
 * method: each is atomic, like its SQL. Turning TOTP on or off sets `twoFactorEnabled` on the user
 * row, as the real user repository reads it from totp_credentials.
 */
export class FakeTwoFactor implements TwoFactorRepository {
  readonly totp = new Map<string, TotpRecord>();
  /** userId -> code hash -> used at (null: unused). */
  readonly recoveryCodes = new Map<string, Map<string, Date | null>>();
  constructor(private readonly users: FakeUsers) {}

  private setEnabled(userId: string, enabled: boolean) {
    const user = this.users.rows.get(userId);
    if (user) user.twoFactorEnabled = enabled;
  }

  async findTotp(userId: string) {
    const row = this.totp.get(userId);
    return row ? { ...row } : null;
  }
  async savePendingTotp(userId: string, secretSealed: string, now: Date) {
    if (this.totp.get(userId)?.enabledAt) return false;
    this.totp.set(userId, { secretSealed, createdAt: now, enabledAt: null, lastUsedStep: null });
    return true;
  }
  async enableTotp(args: {
    userId: string;
    secretSealed: string;
    recoveryCodeHashes: string[];
    step: number;
    now: Date;
  }) {
    const row = this.totp.get(args.userId);
    if (!row || row.enabledAt || row.secretSealed !== args.secretSealed) return false;
    this.totp.set(args.userId, { ...row, enabledAt: args.now, lastUsedStep: args.step });
    this.recoveryCodes.set(args.userId, new Map(args.recoveryCodeHashes.map((hash) => [hash, null])));
    this.setEnabled(args.userId, true);
    return true;
  }
  async useTotpStep(userId: string, step: number) {
    const row = this.totp.get(userId);
    if (!row?.enabledAt || (row.lastUsedStep !== null && row.lastUsedStep >= step)) return false;
    row.lastUsedStep = step;
    return true;
  }
  async useRecoveryCode(userId: string, codeHash: string, now: Date) {
    const codes = this.recoveryCodes.get(userId);
    if (!codes || codes.get(codeHash) !== null) return false; // unknown (undefined) or used (a date)
    codes.set(codeHash, now);
    return true;
  }
  async countRecoveryCodes(userId: string) {
    return [...(this.recoveryCodes.get(userId)?.values() ?? [])].filter((usedAt) => usedAt === null).length;
  }
  async replaceRecoveryCodes(userId: string, codeHashes: string[]) {
    if (!this.totp.get(userId)?.enabledAt) return false;
    this.recoveryCodes.set(userId, new Map(codeHashes.map((hash) => [hash, null])));
    return true;
  }
  async disableTotp(userId: string) {
    if (!this.totp.get(userId)?.enabledAt) return false;
    this.totp.delete(userId);
    this.recoveryCodes.delete(userId);
    this.setEnabled(userId, false);
    return true;
  }
}
