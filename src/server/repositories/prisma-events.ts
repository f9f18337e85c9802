import { identifyDevice } from "@/core/new-device";
import type { EventLog, SessionEventInput } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

interface DeviceSnapshot {
  label: string;
  ip: string | null;
}

export class PrismaEventLog implements EventLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(events: SessionEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const devices = await this.snapshotDevices(events);
    await this.prisma.sessionEvent.createMany({
      data: events.map((event) => {
        const target = event.sessionId ? devices.get(event.sessionId) : undefined;
        return {
          userId: event.userId,
          sessionId: event.sessionId,
          type: event.type,
          reason: event.reason ?? null,
          actorSessionId: event.actorSessionId ?? null,
          ip: event.ip ?? target?.ip ?? null,
          userAgent: event.userAgent ?? null,
          device: event.device ?? target?.label ?? null,
          actorDevice: event.actorSessionId ? (devices.get(event.actorSessionId)?.label ?? null) : null,
          newDevice: event.newDevice ?? false,
          mailUnverified: event.mailUnverified ?? false,
        };
      }),
    });
  }

  /**
   * The devices the events name, as they are now: the activity page describes an event long after
   * its session rows may have been cleaned up, so what it shows is written with the event.
   */
  private async snapshotDevices(events: SessionEventInput[]): Promise<Map<string, DeviceSnapshot>> {
    const ids = new Set<string>();
    for (const event of events) {
      if (event.sessionId && event.device === undefined) ids.add(event.sessionId);
      if (event.actorSessionId) ids.add(event.actorSessionId);
    }
    if (ids.size === 0) return new Map();
    const rows = await this.prisma.deviceSession.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, userAgent: true, ip: true },
    });
    const labels = new Map<string | null, string>(); // "log out others" may name thousands of sessions, few browsers
    const label = (userAgent: string | null) =>
      labels.get(userAgent) ?? labels.set(userAgent, identifyDevice(userAgent).label).get(userAgent)!;
    return new Map(rows.map((row) => [row.id, { label: label(row.userAgent), ip: row.ip }]));
  }
}
