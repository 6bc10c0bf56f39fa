-- twin-of: 20261206002000_cost_monthly_subject
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).
-- The backfill at the end was added by hand (same statement as the SQLite migration's).

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

-- CreateIndex
CREATE INDEX "CostMonthlySubject_subject_month_idx" ON "CostMonthlySubject"("subject", "month");

-- Backfill from CostDailySubject (hand-added, as in the SQLite migration): the rollup starts equal to a recount of the stored records.
INSERT INTO "CostMonthlySubject" ("month", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
SELECT substr("day", 1, 7), "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"), SUM("costUsd"), SUM("unpricedCalls")
FROM "CostDailySubject" GROUP BY substr("day", 1, 7), "subject";
