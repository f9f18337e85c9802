import type { TotpRecord, TwoFactorRepository } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

/** TOTP secrets (sealed) and recovery codes (SHA-256) in PostgreSQL. */
export class PrismaTwoFactorRepository implements TwoFactorRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findTotp(userId: string): Promise<TotpRecord | null> {
    return this.prisma.totpCredential.findUnique({
      where: { userId },
      select: { secretSealed: true, createdAt: true, enabledAt: true, lastUsedStep: true },
    });
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
  async countRecoveryCodes(userId: string): Promise<number> {
    return this.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  }
  replaceRecoveryCodes(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  disableTotp(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
}
