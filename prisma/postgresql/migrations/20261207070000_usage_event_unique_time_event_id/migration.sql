-- twin-of: 20261207070000_usage_event_unique_time_event_id
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- DropIndex
DROP INDEX "UsageEvent_eventId_key";

-- DropIndex
DROP INDEX "UsageEvent_eventTime_idx";

-- CreateIndex
CREATE UNIQUE INDEX "UsageEvent_eventTime_eventId_key" ON "UsageEvent"("eventTime", "eventId");
