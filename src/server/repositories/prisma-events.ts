import type { EventLog, SessionEventInput } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

export class PrismaEventLog implements EventLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(events: SessionEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await this.prisma.sessionEvent.createMany({
      data: events.map((event) => ({
        userId: event.userId,
        sessionId: event.sessionId,
        type: event.type,
        reason: event.reason ?? null,
        actorSessionId: event.actorSessionId ?? null,
        ip: event.ip ?? null,
        userAgent: event.userAgent ?? null,
      })),
    });
  }
}
