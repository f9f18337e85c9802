import type { KnownDeviceRepository } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

export class PrismaKnownDeviceRepository implements KnownDeviceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async remember(
    userId: string,
    deviceKey: string,
    now: Date,
  ): Promise<{ firstSeen: boolean; hadOtherDevices: boolean }> {
    // ON CONFLICT DO NOTHING: of two sign-ins racing from one new device, exactly one inserts.
    const { count } = await this.prisma.knownDevice.createMany({
      data: [{ userId, deviceKey, firstSeenAt: now, lastSeenAt: now }],
      skipDuplicates: true,
    });
    if (count === 0) {
      await this.prisma.knownDevice.updateMany({ where: { userId, deviceKey }, data: { lastSeenAt: now } });
      return { firstSeen: false, hadOtherDevices: false };
    }
    const other = await this.prisma.knownDevice.findFirst({
      where: { userId, deviceKey: { not: deviceKey } },
      select: { deviceKey: true },
    });
    return { firstSeen: true, hadOtherDevices: other !== null };
  }
}
