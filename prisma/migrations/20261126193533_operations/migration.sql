-- AlterTable
ALTER TABLE "users" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "device_sessions_idle_expires_at_idx" ON "device_sessions"("idle_expires_at");

-- CreateIndex
CREATE INDEX "device_sessions_absolute_expires_at_idx" ON "device_sessions"("absolute_expires_at");

-- CreateIndex
CREATE INDEX "session_events_created_at_idx" ON "session_events"("created_at");
