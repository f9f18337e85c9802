import {
  LINKS_VOIDED_BY_PASSWORD,
  type AccountRepository,
  type AccountTokenPurpose,
  type AccountTokenRecord,
  type EmailConfirmation,
  type UserRecord,
} from "@/core/ports";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { toUserRecord, userFields } from "./prisma-users";

type Tx = Prisma.TransactionClient;

/** Far longer than any access token lives (ACCESS_TOKEN_TTL_SECONDS is at most an hour). */
const TOMBSTONE_MS = 24 * 3600 * 1000;

/** The account's address changed since the link was sent: the link is void (thrown to roll back). */
class VoidLink extends Error {}

/**
 * One-time link tokens and the account changes they make, each in one transaction: a token is
 * deleted by the statement that uses it, so two requests racing with one link cannot both win.
 */
export class PrismaAccountRepository implements AccountRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async issueToken(token: AccountTokenRecord): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.accountToken.deleteMany({ where: { userId: token.userId, purpose: token.purpose } }),
      this.prisma.accountToken.create({ data: token }),
    ]);
  }

  async resetPassword(args: {
    tokenHash: string;
    newPasswordHash: string;
    now: Date;
  }): Promise<{ user: UserRecord; epoch: number } | null> {
    return this.inTransaction(async (tx) => {
      const token = await useToken(tx, args.tokenHash, ["password_reset"], args.now);
      if (!token) return null;
      const user = toUserRecord(
        await tx.user.update({
          where: { id: token.userId, email: token.email, disabledAt: null },
          data: { passwordHash: args.newPasswordHash, sessionEpoch: { increment: 1 }, epochChangedAt: args.now },
          select: userFields,
        }),
      );
      await tx.accountToken.deleteMany({ where: { userId: user.id, purpose: { in: [...LINKS_VOIDED_BY_PASSWORD] } } });
      return { user, epoch: user.sessionEpoch };
    });
  }

  async confirmEmail(args: { tokenHash: string; now: Date }): Promise<EmailConfirmation | null> {
    return this.inTransaction(async (tx): Promise<EmailConfirmation | null> => {
      const token = await useToken(tx, args.tokenHash, ["email_verification", "email_change"], args.now);
      if (!token) return null;
      if (token.purpose === "email_verification") {
        const user = await tx.user.update({
          where: { id: token.userId, email: token.email },
          data: { emailVerifiedAt: args.now },
          select: userFields,
        });
        return { kind: "verified", user: toUserRecord(user) };
      }
      const current = toUserRecord(
        await tx.user.findUniqueOrThrow({ where: { id: token.userId }, select: userFields }),
      );
      if (current.email !== token.email || !token.newEmail) throw new VoidLink();
      const taken = await tx.user.findUnique({ where: { email: token.newEmail }, select: { id: true } });
      if (taken) return { kind: "email_taken", user: current };
      const user = toUserRecord(
        await tx.user.update({
          where: { id: token.userId },
          data: { email: token.newEmail, emailVerifiedAt: args.now },
          select: userFields,
        }),
      );
      // Links sent to the old address (a password reset, a verification) die with it.
      await tx.accountToken.deleteMany({ where: { userId: user.id } });
      return { kind: "changed", user, previousEmail: token.email };
    }).catch((error: unknown) => {
      // A registration took the new address between the check and the update (rolled back).
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
        return this.taken(args.tokenHash);
      throw error;
    });
  }

  /** The change lost a race for its new address: the link is used up, like when the address was taken before. */
  private async taken(tokenHash: string): Promise<EmailConfirmation | null> {
    const token = await this.prisma.accountToken.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true },
    });
    if (!token) return null;
    const { count } = await this.prisma.accountToken.deleteMany({ where: { id: token.id } });
    const user = toUserRecord(await this.prisma.user.findUnique({ where: { id: token.userId }, select: userFields }));
    return count === 1 && user ? { kind: "email_taken", user } : null;
  }

  async deleteUser(userId: string, now: Date): Promise<string[] | null> {
    return this.prisma.$transaction(async (tx) => {
      // The lock sign-ins take (createWithinLimit): no session can be born while the user goes.
      const [user] = await tx.$queryRaw<
        { session_epoch: number }[]
      >`SELECT session_epoch FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
      if (!user) return null;
      const live = await tx.deviceSession.findMany({
        where: {
          userId,
          revokedAt: null,
          epoch: { gte: user.session_epoch },
          idleExpiresAt: { gt: now },
          absoluteExpiresAt: { gt: now },
        },
        select: { id: true },
      });
      await tx.user.delete({ where: { id: userId } }); // sessions, events, devices, tokens: ON DELETE CASCADE
      // The tombstone a wiped revocation store re-learns the deletion from (recentRevocations);
      // those of a day ago and more have outlived every token they could refuse.
      await tx.deletedAccount.deleteMany({ where: { deletedAt: { lt: new Date(now.getTime() - TOMBSTONE_MS) } } });
      await tx.deletedAccount.create({ data: { userId, deletedAt: now } });
      return live.map((row) => row.id);
    });
  }

  /** Runs `work` in a transaction; a void link (VoidLink, or no row to update: P2025) answers null. */
  private async inTransaction<T>(work: (tx: Tx) => Promise<T | null>): Promise<T | null> {
    try {
      return await this.prisma.$transaction(work);
    } catch (error) {
      if (error instanceof VoidLink) return null;
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") return null;
      throw error;
    }
  }
}

/** Deletes the token if it is unused, unexpired and of one of `purposes`; answers what it was. */
async function useToken(tx: Tx, tokenHash: string, purposes: AccountTokenPurpose[], now: Date) {
  const [token] = await tx.accountToken.findMany({
    where: { tokenHash, purpose: { in: purposes }, expiresAt: { gt: now } },
    take: 1,
  });
  if (!token) return null;
  const { count } = await tx.accountToken.deleteMany({ where: { id: token.id } });
  if (count !== 1) return null; // used by a concurrent request
  return { ...token, purpose: token.purpose as AccountTokenPurpose };
}
