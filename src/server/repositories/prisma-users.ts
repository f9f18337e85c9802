import type { UserRecord, UserRepository } from "@/core/ports";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";

const userFields = {
  id: true,
  email: true,
  name: true,
  passwordHash: true,
  sessionEpoch: true,
  disabledAt: true,
  emailVerifiedAt: true,
} as const;

/** The columns of a `UserRecord`: every repository that answers one reads these. */
export { userFields };

export class PrismaUserRepository implements UserRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { email }, select: userFields });
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id }, select: userFields });
  }

  async create(user: {
    id: string;
    email: string;
    name: string | null;
    passwordHash: string;
  }): Promise<UserRecord | null> {
    try {
      return await this.prisma.user.create({ data: user, select: userFields });
    } catch (error) {
      // The unique index decides, so two registrations racing for one email cannot both win.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }

  async disable(userId: string, now: Date): Promise<number | null> {
    // One statement: the mark and the epoch raise land together, and two admins disabling at once
    // raise the epoch once (the second finds the user already disabled: P2025, no such row).
    try {
      const user = await this.prisma.user.update({
        where: { id: userId, disabledAt: null },
        data: { disabledAt: now, sessionEpoch: { increment: 1 }, epochChangedAt: now },
        select: { sessionEpoch: true },
      });
      return user.sessionEpoch;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") return null;
      throw error;
    }
  }

  async enable(userId: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id: userId, disabledAt: { not: null } },
      data: { disabledAt: null },
    });
    return count === 1;
  }
}
