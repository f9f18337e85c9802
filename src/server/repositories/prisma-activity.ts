import type { ActivityLog, ActivityRecord } from "@/core/ports";
import type { PrismaClient } from "@/generated/prisma/client";

/** The activity page's reads: keyset on (user_id, id), index session_events_user_id_id_idx. */
export class PrismaActivityLog implements ActivityLog {
  constructor(private readonly prisma: PrismaClient) {}

  async list(userId: string, query: Parameters<ActivityLog["list"]>[1]): Promise<ActivityRecord[]> {
    const older = query.direction === "older";
    const rows = await this.prisma.sessionEvent.findMany({
      where: {
        userId,
        type: { notIn: [...query.hiddenTypes] },
        ...(query.from === null ? {} : { id: older ? { lt: BigInt(query.from) } : { gt: BigInt(query.from) } }),
      },
      orderBy: { id: older ? "desc" : "asc" },
      take: query.limit,
      select: {
        id: true,
        type: true,
        reason: true,
        sessionId: true,
        actorSessionId: true,
        device: true,
        actorDevice: true,
        ip: true,
        newDevice: true,
        mailUnverified: true,
        createdAt: true,
      },
    });
    return rows.map((row) => ({ ...row, id: row.id.toString() }));
  }
}
