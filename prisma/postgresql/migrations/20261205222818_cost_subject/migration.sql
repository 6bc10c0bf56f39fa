-- twin-of: 20261205222818_cost_subject
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).
-- The backfill at the end was added by hand (same statement as the SQLite migration's).

-- CreateTable
CREATE TABLE "CostDailySubject" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" DOUBLE PRECISION NOT NULL,
    "outputTokens" DOUBLE PRECISION NOT NULL,
    "cacheReadTokens" DOUBLE PRECISION NOT NULL,
    "cacheWriteTokens" DOUBLE PRECISION NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    CONSTRAINT "CostDailySubject_pkey" PRIMARY KEY ("day","subject")
);

-- CreateIndex
CREATE INDEX "CostDailySubject_subject_day_costUsd_calls_unpricedCalls_idx" ON "CostDailySubject"("subject", "day", "costUsd", "calls", "unpricedCalls");

-- CreateIndex
CREATE INDEX "CostDailySubject_day_subject_identityType_costUsd_calls_unp_idx" ON "CostDailySubject"("day", "subject", "identityType", "costUsd", "calls", "unpricedCalls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens");

-- Backfill from CostDaily (hand-added, as in the SQLite migration): the rollup starts equal to a recount of the stored records.
INSERT INTO "CostDailySubject" ("day", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
SELECT "day", "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"), SUM("costUsd"), SUM("unpricedCalls")
FROM "CostDaily" GROUP BY "day", "subject";
