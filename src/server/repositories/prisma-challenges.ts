import type { ChallengePurpose, ChallengeRecord, ChallengeRepository } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

/** Sign-in and WebAuthn challenges in PostgreSQL (auth_challenges): SHA-256 of the token only. */
export class PrismaChallengeRepository implements ChallengeRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(challenge: Omit<ChallengeRecord, "attempts">): Promise<void> {
    await this.prisma.authChallenge.create({ data: challenge });
  }

  async find(tokenHash: string, purpose: ChallengePurpose, now: Date): Promise<ChallengeRecord | null> {
    const row = await this.prisma.authChallenge.findFirst({ where: { tokenHash, purpose, expiresAt: { gt: now } } });
    return row ? { ...row, purpose } : null;
  }

  async consume(tokenHash: string, purpose: ChallengePurpose, now: Date): Promise<ChallengeRecord | null> {
    // One DELETE ... RETURNING: of two callers with the same token, exactly one gets the row.
    const [row] = await this.prisma.$queryRaw<
      {
        token_hash: string;
        user_id: string | null;
        epoch: number | null;
        device_name: string | null;
        attempts: number;
        created_at: Date;
        expires_at: Date;
      }[]
    >`DELETE FROM auth_challenges WHERE token_hash = ${tokenHash} AND purpose = ${purpose} AND expires_at > ${now}
      RETURNING token_hash, user_id::text, epoch, device_name, attempts, created_at, expires_at`;
    if (!row) return null;
    return {
      tokenHash: row.token_hash,
      purpose,
      userId: row.user_id,
      epoch: row.epoch,
      deviceName: row.device_name,
      attempts: row.attempts,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async countFailure(tokenHash: string, maxAttempts: number): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.authChallenge.updateMany({ where: { tokenHash }, data: { attempts: { increment: 1 } } }),
      this.prisma.authChallenge.deleteMany({ where: { tokenHash, attempts: { gte: maxAttempts } } }),
    ]);
  }
}
