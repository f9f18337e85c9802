import type { IdentityRecord, SignInMethodRepository, UserRecord } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

export type IdentityMethods = Pick<
  SignInMethodRepository,
  "findIdentity" | "listIdentities" | "linkIdentity" | "recordIdentityUse" | "createUserWithIdentity"
>;

/** Identities linked at identity providers (OpenID Connect) in PostgreSQL. */
export class PrismaIdentities implements IdentityMethods {
  constructor(private readonly prisma: PrismaClient) {}

  findIdentity(..._args: unknown[]): Promise<IdentityRecord | null> {
    throw new Error("not built yet");
  }
  listIdentities(userId: string): Promise<IdentityRecord[]> {
    return this.prisma.externalIdentity.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  }
  linkIdentity(..._args: unknown[]): Promise<"linked" | "taken"> {
    throw new Error("not built yet");
  }
  recordIdentityUse(..._args: unknown[]): Promise<void> {
    throw new Error("not built yet");
  }
  createUserWithIdentity(..._args: unknown[]): Promise<UserRecord | null> {
    throw new Error("not built yet");
  }
}
