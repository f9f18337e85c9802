import type { UserRecord, UserRepository } from "@/core/ports";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";

const userFields = { id: true, email: true, name: true, passwordHash: true, sessionEpoch: true } as const;

export class PrismaUserRepository implements UserRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { email }, select: userFields });
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id }, select: userFields });
  }

  async create(user: { id: string; email: string; name: string | null; passwordHash: string }): Promise<UserRecord | null> {
    try {
      return await this.prisma.user.create({ data: user, select: userFields });
    } catch (error) {
      // The unique index decides, so two registrations racing for one email cannot both win.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    }
  }
}
