import type { PasskeyRecord, SignInMethodRepository } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

export type PasskeyMethods = Pick<
  SignInMethodRepository,
  "listPasskeys" | "findPasskey" | "addPasskey" | "recordPasskeyUse"
>;

/** Passkeys (WebAuthn credentials) in PostgreSQL. */
export class PrismaPasskeys implements PasskeyMethods {
  constructor(private readonly prisma: PrismaClient) {}

  async listPasskeys(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.prisma.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    return rows.map((row) => ({ ...row, counter: Number(row.counter), publicKey: new Uint8Array(row.publicKey) }));
  }
  findPasskey(..._args: unknown[]): Promise<PasskeyRecord | null> {
    throw new Error("not built yet");
  }
  addPasskey(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
  recordPasskeyUse(..._args: unknown[]): Promise<boolean> {
    throw new Error("not built yet");
  }
}
