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
  locale: true,
  totp: { select: { enabledAt: true } },
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof userFields }>;

/** A row read with `userFields` as the engine's `UserRecord`. */
function toUserRecord(row: UserRow): UserRecord;
function toUserRecord(row: UserRow | null): UserRecord | null;
function toUserRecord(row: UserRow | null): UserRecord | null {
  if (!row) return null;
  const { totp, ...user } = row;
  return { ...user, twoFactorEnabled: !!totp?.enabledAt };
}

/** The columns of a `UserRecord` and how to read them: every repository that answers one uses these. */
export { toUserRecord, userFields };

export class PrismaUserRepository implements UserRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findByEmail(email: string): Promise<UserRecord | null> {
    return toUserRecord(await this.prisma.user.findUnique({ where: { email }, select: userFields }));
  }

  async findById(id: string): Promise<UserRecord | null> {
    return toUserRecord(await this.prisma.user.findUnique({ where: { id }, select: userFields }));
  }

  async create(user: {
    id: string;
    email: string;
    name: string | null;
    passwordHash: string;
    locale?: string | null;
  }): Promise<UserRecord | null> {
    try {
      return toUserRecord(await this.prisma.user.create({ data: user, select: userFields }));
    } catch (error) {
      // The unique index decides, so two registrations racing for one email cannot both win.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }

  /** The language a person chose with the switcher, for their next mail (no row: nothing to do). */
  async setLocale(userId: string, locale: string): Promise<void> {
    await this.prisma.user.updateMany({ where: { id: userId }, data: { locale } });
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
