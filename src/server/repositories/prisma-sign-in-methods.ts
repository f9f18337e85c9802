import type { SignInMethodRepository, WayIn, WayInRemoval } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";
import { PrismaIdentities } from "./prisma-identities";
import { PrismaPasskeys } from "./prisma-passkeys";

/**
 * The ways into an account besides the password: passkeys (prisma-passkeys.ts) and linked
 * identities (prisma-identities.ts), and the one rule that spans them, in `removeWayIn`.
 */
export function createSignInMethodRepository(prisma: PrismaClient): SignInMethodRepository {
  const passkeys = new PrismaPasskeys(prisma);
  const identities = new PrismaIdentities(prisma);
  return {
    listPasskeys: (userId) => passkeys.listPasskeys(userId),
    findPasskey: (credentialId) => passkeys.findPasskey(credentialId),
    addPasskey: (passkey) => passkeys.addPasskey(passkey),
    recordPasskeyUse: (credentialId, args) => passkeys.recordPasskeyUse(credentialId, args),
    findIdentity: (provider, subject) => identities.findIdentity(provider, subject),
    listIdentities: (userId) => identities.listIdentities(userId),
    linkIdentity: (identity) => identities.linkIdentity(identity),
    recordIdentityUse: (provider, subject, now) => identities.recordIdentityUse(provider, subject, now),
    createUserWithIdentity: (user, identity) => identities.createUserWithIdentity(user, identity),
    removeWayIn: (userId, wayIn) => removeWayIn(prisma, userId, wayIn),
  };
}

/**
 * Under the lock on the user's row (the one sign-ins and deletion take): count the ways in that
 * would remain, then delete, so two removals at once cannot leave an account nobody can enter.
 */
async function removeWayIn(prisma: PrismaClient, userId: string, wayIn: WayIn): Promise<WayInRemoval> {
  return prisma.$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<
      { has_password: boolean }[]
    >`SELECT password_hash IS NOT NULL AS has_password FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    if (!user) return "not_found";
    const target =
      wayIn.kind === "passkey"
        ? await tx.passkey.findFirst({ where: { id: wayIn.id, userId }, select: { id: true } })
        : await tx.externalIdentity.findFirst({
            where: { userId, provider: wayIn.provider },
            select: { userId: true },
          });
    if (!target) return "not_found";
    const others =
      (user.has_password ? 1 : 0) +
      (await tx.passkey.count({ where: { userId } })) +
      (await tx.externalIdentity.count({ where: { userId } })) -
      1;
    if (others < 1) return "last_way_in";
    if (wayIn.kind === "passkey") await tx.passkey.deleteMany({ where: { id: wayIn.id, userId } });
    else await tx.externalIdentity.deleteMany({ where: { userId, provider: wayIn.provider } });
    return "removed";
  });
}
