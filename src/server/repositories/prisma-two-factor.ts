import type { TotpRecord, TwoFactorRepository } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * TOTP secrets (sealed) and recovery codes (SHA-256) in PostgreSQL. Each change is one statement,
 * or one transaction under the lock on the account's totp_credentials row, so concurrent callers
 * (two sign-ins with the same code, a "turn off" racing "new recovery codes") take turns.
 */
export class PrismaTwoFactorRepository implements TwoFactorRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findTotp(userId: string): Promise<TotpRecord | null> {
    return this.prisma.totpCredential.findUnique({
      where: { userId },
      select: { secretSealed: true, createdAt: true, enabledAt: true, lastUsedStep: true },
    });
  }

  async savePendingTotp(userId: string, secretSealed: string, now: Date): Promise<boolean> {
    // Inserts, or replaces a pending secret; a secret that is on is left alone (no row returned).
    const rows = await this.prisma.$queryRaw<{ user_id: string }[]>`
      INSERT INTO totp_credentials (user_id, secret_sealed, created_at)
      VALUES (${userId}::uuid, ${secretSealed}, ${now})
      ON CONFLICT (user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed,
        created_at = EXCLUDED.created_at, last_used_step = NULL
      WHERE totp_credentials.enabled_at IS NULL
      RETURNING user_id::text`;
    return rows.length === 1;
  }

  async enableTotp(args: {
    userId: string;
    secretSealed: string;
    recoveryCodeHashes: string[];
    step: number;
    now: Date;
  }): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.totpCredential.updateMany({
        where: { userId: args.userId, secretSealed: args.secretSealed, enabledAt: null },
        data: { enabledAt: args.now, lastUsedStep: args.step },
      });
      if (count !== 1) return false;
      await writeRecoveryCodes(tx, args.userId, args.recoveryCodeHashes);
      return true;
    });
  }

  async useTotpStep(userId: string, step: number): Promise<boolean> {
    // One UPDATE: PostgreSQL re-checks the condition on the row a concurrent caller just changed,
    // so of two callers with the same step exactly one matches.
    const { count } = await this.prisma.totpCredential.updateMany({
      where: { userId, enabledAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step },
    });
    return count === 1;
  }

  async useRecoveryCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.recoveryCode.updateMany({
      where: { userId, codeHash, usedAt: null },
      data: { usedAt: now },
    });
    return count === 1;
  }

  async countRecoveryCodes(userId: string): Promise<number> {
    return this.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockEnabled(tx, userId))) return false;
      await writeRecoveryCodes(tx, userId, codeHashes);
      return true;
    });
  }

  async disableTotp(userId: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await lockEnabled(tx, userId))) return false;
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.totpCredential.delete({ where: { userId } });
      return true;
    });
  }
}

/** Locks the account's TOTP row while it is on; false when it is not on. */
async function lockEnabled(tx: Transaction, userId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id::text FROM totp_credentials WHERE user_id = ${userId}::uuid AND enabled_at IS NOT NULL FOR UPDATE`;
  return rows.length === 1;
}

async function writeRecoveryCodes(tx: Transaction, userId: string, codeHashes: string[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ userId, codeHash })) });
}
