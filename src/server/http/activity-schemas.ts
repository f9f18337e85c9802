import { z } from "zod";
import { ACTIVITY_MAX_PAGE_SIZE, ACTIVITY_PAGE_SIZE, activityPageSchema, decodeActivityCursor } from "@/core/activity";

/**
 * GET /api/account/activity (and the /settings/activity page, which reads `cursor` the same way).
 * The response shape is defined once, with the feed that builds it (src/core/activity.ts).
 */
export const activityQuerySchema = z.object({
  cursor: z
    .string({ error: "cursor must be text." })
    .max(64, "cursor is not valid.")
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      const cursor = decodeActivityCursor(value);
      if (cursor) return cursor;
      ctx.addIssue({
        code: "custom",
        message: "cursor is not valid: pass back an olderCursor or newerCursor from a previous page.",
      });
      return z.NEVER;
    })
    .describe("olderCursor or newerCursor of a previous page; omit for the newest events."),
  limit: z.coerce
    .number({ error: "limit must be a number." })
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(ACTIVITY_MAX_PAGE_SIZE, `limit must be at most ${ACTIVITY_MAX_PAGE_SIZE}.`)
    .default(ACTIVITY_PAGE_SIZE)
    .describe(`Events per page (1..${ACTIVITY_MAX_PAGE_SIZE}, default ${ACTIVITY_PAGE_SIZE}).`),
});

export const activityResponseSchema = activityPageSchema;
export type ActivityResponse = z.output<typeof activityResponseSchema>;
