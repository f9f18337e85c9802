import {
  DELETED_ACCOUNT_EPOCH,
  LINKS_VOIDED_BY_PASSWORD,
  type ChangePasswordCommand,
  type DeviceListEntry,
  type NewSessionRecord,
  type RevocationSnapshot,
  type RevokeCommand,
  type SessionRecord,
  type SessionRepository,
  type SessionWithUserEpoch,
} from "@/core/ports";
import type { Prisma, PrismaClient } from "@/generated/prisma/client";

/**
 * Sessions in PostgreSQL. "Live" = not revoked, epoch not behind the user's, not idle, not too old.
 * Sessions outdated by an epoch bump are not rewritten: the bump alone kills them, in one write,
 * whatever their number (log out everywhere, password change).
 */
function liveWhere(now: Date): Prisma.DeviceSessionWhereInput {
  return { revokedAt: null, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } };
}

export class PrismaSessionRepository implements SessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(session: NewSessionRecord): Promise<void> {
    await this.prisma.deviceSession.create({ data: session });
  }

  async createWithinLimit(session: NewSessionRecord, max: number, command: RevokeCommand): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      // The user's row lock makes concurrent sign-ins of one user take turns: each one sees every
      // session created before it, so two of them can never sign each other's new session out.
      const [user] = await tx.$queryRaw<
        { session_epoch: number }[]
      >`SELECT session_epoch FROM users WHERE id = ${session.userId}::uuid FOR UPDATE`;
      await tx.deviceSession.create({ data: session });
      if (!user) return [];
      const victims = await tx.deviceSession.findMany({
        where: {
          userId: session.userId,
          id: { not: session.id },
          epoch: { gte: user.session_epoch },
          ...liveWhere(command.now),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: Math.max(0, max - 1), // the newest max - 1 others stay, with the new one
        select: { id: true },
      });
      const ids = victims.map((v) => v.id);
      if (ids.length > 0) await markRevoked(tx, ids, command);
      return ids;
    });
  }

  async findById(id: string): Promise<SessionWithUserEpoch | null> {
    const row = await this.prisma.deviceSession.findUnique({
      where: { id },
      include: {
        user: {
          select: {
            sessionEpoch: true,
            email: true,
            name: true,
            emailVerifiedAt: true,
            totp: { select: { enabledAt: true } },
          },
        },
      },
    });
    if (!row) return null;
    const { user, ...session } = row;
    return {
      ...session,
      userEpoch: user.sessionEpoch,
      userEmail: user.email,
      userName: user.name,
      userEmailVerified: user.emailVerifiedAt !== null,
      userTwoFactor: !!user.totp?.enabledAt,
    };
  }

  async rotateRefreshToken(args: {
    id: string;
    expectedHash: string;
    newHash: string;
    now: Date;
    idleExpiresAt: Date;
  }): Promise<boolean> {
    const { count } = await this.prisma.deviceSession.updateMany({
      where: { id: args.id, refreshHash: args.expectedHash, ...liveWhere(args.now) },
      data: {
        previousRefreshHash: args.expectedHash,
        refreshHash: args.newHash,
        refreshRotatedAt: args.now,
        refreshGeneration: { increment: 1 },
        lastActiveAt: args.now,
        idleExpiresAt: args.idleExpiresAt,
      },
    });
    return count === 1;
  }

  async listActive(userId: string, now: Date): Promise<DeviceListEntry[]> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { sessionEpoch: true } });
    if (!user) return [];
    return this.prisma.deviceSession.findMany({
      where: { userId, epoch: { gte: user.sessionEpoch }, ...liveWhere(now) },
      orderBy: [{ lastActiveAt: "desc" }, { createdAt: "desc" }],
      // Only what the list shows: decoding every column of 1,000 rows was most of the query's time.
      select: {
        id: true,
        deviceName: true,
        browser: true,
        os: true,
        deviceType: true,
        ip: true,
        createdAt: true,
        lastActiveAt: true,
        signInMethod: true,
        amr: true,
      },
    });
  }

  async revoke(id: string, command: RevokeCommand): Promise<SessionRecord | null> {
    const session = await this.findById(id);
    if (!session || session.userId !== command.userId || session.epoch < session.userEpoch) return null;
    const { count } = await this.prisma.deviceSession.updateMany({
      where: { id, userId: command.userId, ...liveWhere(command.now) },
      data: { revokedAt: command.now, revokedReason: command.reason, revokedBy: command.revokedBy },
    });
    if (count !== 1) return null;
    const {
      userEpoch: _userEpoch,
      userEmail: _userEmail,
      userName: _userName,
      userEmailVerified: _userEmailVerified,
      ...record
    } = session;
    return { ...record, revokedAt: command.now, revokedReason: command.reason, revokedBy: command.revokedBy };
  }

  async revokeAllExcept(exceptId: string, command: RevokeCommand): Promise<string[]> {
    return this.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: command.userId }, select: { sessionEpoch: true } });
      if (!user) return [];
      const where = {
        userId: command.userId,
        id: { not: exceptId },
        epoch: { gte: user.sessionEpoch },
        ...liveWhere(command.now),
      };
      const victims = await tx.deviceSession.findMany({ where, select: { id: true } });
      const ids = victims.map((v) => v.id);
      if (ids.length > 0) await markRevoked(tx, ids, command);
      return ids;
    });
  }

  async revokeEverywhere(command: RevokeCommand): Promise<number> {
    const user = await this.prisma.user.update({
      where: { id: command.userId },
      data: { sessionEpoch: { increment: 1 }, epochChangedAt: command.now },
      select: { sessionEpoch: true },
    });
    return user.sessionEpoch;
  }

  async changePassword(args: ChangePasswordCommand): Promise<{ epoch: number } | null> {
    return this.prisma
      .$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({
          where: {
            id: args.userId,
            passwordHash: args.expectedPasswordHash,
            sessionEpoch: args.expectedEpoch,
            disabledAt: null,
          },
          data: { passwordHash: args.newPasswordHash, sessionEpoch: { increment: 1 }, epochChangedAt: args.now },
        });
        if (count !== 1) throw new ConcurrentChange();
        // A reset link or an email change asked for before the change must not undo it.
        await tx.accountToken.deleteMany({
          where: { userId: args.userId, purpose: { in: [...LINKS_VOIDED_BY_PASSWORD] } },
        });
        const { sessionEpoch } = await tx.user.findUniqueOrThrow({
          where: { id: args.userId },
          select: { sessionEpoch: true },
        });
        const moved = await tx.deviceSession.updateMany({
          where: { id: args.currentSessionId, userId: args.userId, epoch: args.expectedEpoch, ...liveWhere(args.now) },
          data: {
            epoch: sessionEpoch,
            refreshHash: args.newRefreshHash,
            previousRefreshHash: null,
            refreshRotatedAt: args.now,
            refreshGeneration: { increment: 1 },
            lastActiveAt: args.now,
            idleExpiresAt: args.idleExpiresAt,
            authTime: args.now, // the current password was just checked
          },
        });
        if (moved.count !== 1) throw new ConcurrentChange();
        return { epoch: sessionEpoch };
      })
      .catch((error: unknown) => {
        if (error instanceof ConcurrentChange) return null;
        throw error;
      });
  }

  async recentRevocations(since: Date): Promise<RevocationSnapshot> {
    const [sessions, users, deleted] = await Promise.all([
      this.prisma.deviceSession.findMany({
        where: { revokedAt: { gte: since } },
        select: { id: true, userId: true, revokedAt: true },
      }),
      this.prisma.user.findMany({
        where: { epochChangedAt: { gte: since } },
        select: { id: true, sessionEpoch: true, epochChangedAt: true },
      }),
      // A deleted account: no epoch any token reaches (its session rows went with it).
      this.prisma.deletedAccount.findMany({ where: { deletedAt: { gte: since } } }),
    ]);
    return {
      sessions: sessions.map((s) => ({ sessionId: s.id, userId: s.userId, revokedAt: s.revokedAt ?? since })),
      epochs: [
        ...users.map((u) => ({ userId: u.id, epoch: u.sessionEpoch, changedAt: u.epochChangedAt ?? since })),
        ...deleted.map((d) => ({ userId: d.userId, epoch: DELETED_ACCOUNT_EPOCH, changedAt: d.deletedAt })),
      ],
    };
  }
}

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function markRevoked(tx: Transaction, ids: string[], command: RevokeCommand) {
  return tx.deviceSession.updateMany({
    where: { id: { in: ids }, revokedAt: null },
    data: { revokedAt: command.now, revokedReason: command.reason, revokedBy: command.revokedBy },
  });
}

/** Rolls the password-change transaction back when its preconditions no longer hold. */
class ConcurrentChange extends Error {}
