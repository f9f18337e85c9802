import type { IdentityRecord, SignInMethodRepository, UserRecord } from "@/core/ports";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { toUserRecord, userFields } from "./prisma-users";

export type IdentityMethods = Pick<
  SignInMethodRepository,
  "findIdentity" | "listIdentities" | "linkIdentity" | "recordIdentityUse" | "createUserWithIdentity"
>;

/** A unique index said no (P2002), or the user is gone (P2003, the foreign key). */
function isRefusedByConstraint(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === "P2002" || error.code === "P2003");
}

/** Identities linked at identity providers (OpenID Connect) in PostgreSQL. */
export class PrismaIdentities implements IdentityMethods {
  constructor(private readonly prisma: PrismaClient) {}

  findIdentity(provider: string, subject: string): Promise<IdentityRecord | null> {
    return this.prisma.externalIdentity.findUnique({ where: { provider_subject: { provider, subject } } });
  }
  listIdentities(userId: string): Promise<IdentityRecord[]> {
    return this.prisma.externalIdentity.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  }
  /** The two unique keys decide ((provider, subject) and (user, provider)), so racing links cannot both win. */
  async linkIdentity(identity: IdentityRecord): Promise<"linked" | "taken"> {
    try {
      await this.prisma.externalIdentity.create({ data: identity });
      return "linked";
    } catch (error) {
      if (isRefusedByConstraint(error)) return "taken";
      throw error;
    }
  }
  async recordIdentityUse(provider: string, subject: string, now: Date): Promise<void> {
    await this.prisma.externalIdentity.updateMany({ where: { provider, subject }, data: { lastUsedAt: now } });
  }
  /** One transaction: no account without its identity, none with an email or identity taken meanwhile. */
  async createUserWithIdentity(
    user: { id: string; email: string; name: string | null; emailVerifiedAt: Date | null; locale?: string | null },
    identity: IdentityRecord,
  ): Promise<UserRecord | null> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.user.create({ data: { ...user, passwordHash: null }, select: userFields });
        await tx.externalIdentity.create({ data: { ...identity, userId: user.id } });
        return toUserRecord(row);
      });
    } catch (error) {
      if (isRefusedByConstraint(error)) return null;
      throw error;
    }
  }
}
