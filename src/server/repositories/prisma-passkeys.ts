import type { PasskeyRecord, SignInMethodRepository } from "@/core/ports";
import { Prisma, type PrismaClient } from "@/generated/prisma/client";

export type PasskeyMethods = Pick<
  SignInMethodRepository,
  "listPasskeys" | "findPasskey" | "addPasskey" | "recordPasskeyUse"
>;

type PasskeyRow = Omit<PasskeyRecord, "counter" | "publicKey"> & { counter: bigint; publicKey: Uint8Array };

function toRecord(row: PasskeyRow): PasskeyRecord {
  return { ...row, counter: Number(row.counter), publicKey: new Uint8Array(row.publicKey) };
}

/** Passkeys (WebAuthn credentials) in PostgreSQL. */
export class PrismaPasskeys implements PasskeyMethods {
  constructor(private readonly prisma: PrismaClient) {}

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.prisma.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    return rows.map(toRecord);
  }

  async findPasskey(credentialId: string): Promise<PasskeyRecord | null> {
    const row = await this.prisma.passkey.findUnique({ where: { id: credentialId } });
    return row ? toRecord(row) : null;
  }

  async addPasskey(passkey: PasskeyRecord): Promise<boolean> {
    try {
      await this.prisma.passkey.create({
        data: {
          ...passkey,
          counter: BigInt(passkey.counter),
          publicKey: new Uint8Array(passkey.publicKey),
        },
      });
      return true;
    } catch (error) {
      // P2002: the credential id exists already (this account's, or another's).
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
      throw error;
    }
  }

  async recordPasskeyUse(
    credentialId: string,
    args: { expectedCounter: number; newCounter: number; now: Date },
  ): Promise<boolean> {
    // Compare-and-set in one UPDATE: of two sign-ins that read the same counter, one writes.
    const { count } = await this.prisma.passkey.updateMany({
      where: { id: credentialId, counter: BigInt(args.expectedCounter) },
      data: { counter: BigInt(args.newCounter), lastUsedAt: args.now },
    });
    return count === 1;
  }
}
