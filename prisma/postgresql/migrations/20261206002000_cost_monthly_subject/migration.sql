-- twin-of: 20261206002000_cost_monthly_subject
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).
-- The backfills at the end were added by hand (same statements as the SQLite migration's).

-- DropIndex
DROP INDEX "CostDaily_subject_day_modelId_costUsd_idx";

-- CreateTable
CREATE TABLE "CostMonthlySubject" (
    "month" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" DOUBLE PRECISION NOT NULL,
    "outputTokens" DOUBLE PRECISION NOT NULL,
    "cacheReadTokens" DOUBLE PRECISION NOT NULL,
    "cacheWriteTokens" DOUBLE PRECISION NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    CONSTRAINT "CostMonthlySubject_pkey" PRIMARY KEY ("month","subject")
);

-- CreateTable
CREATE TABLE "UsageMonthlySubject" (
    "month" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageMonthlySubject_pkey" PRIMARY KEY ("month","subject","result")
);

-- CreateIndex
CREATE INDEX "CostMonthlySubject_subject_month_idx" ON "CostMonthlySubject"("subject", "month");

-- CreateIndex
CREATE INDEX "UsageMonthlySubject_subject_month_idx" ON "UsageMonthlySubject"("subject", "month");

-- CreateIndex
CREATE INDEX "CostDaily_subject_day_modelId_costUsd_calls_unpricedCalls_i_idx" ON "CostDaily"("subject", "day", "modelId", "costUsd", "calls", "unpricedCalls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens");

-- Backfill from CostDailySubject (hand-added, as in the SQLite migration): the rollup starts equal to a recount of the stored records.
INSERT INTO "CostMonthlySubject" ("month", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
SELECT substr("day", 1, 7), "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"), SUM("costUsd"), SUM("unpricedCalls")
FROM "CostDailySubject" GROUP BY substr("day", 1, 7), "subject";

-- Backfill from UsageDailySubject (hand-added, as in the SQLite migration): the rollup starts equal to a recount of the stored events.
INSERT INTO "UsageMonthlySubject" ("month", "subject", "result", "identityType", "calls")
SELECT substr("day", 1, 7), "subject", "result", MIN("identityType"), SUM("calls")
FROM "UsageDailySubject" GROUP BY substr("day", 1, 7), "subject", "result";
