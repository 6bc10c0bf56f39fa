-- DropIndex
DROP INDEX "CostDaily_subject_day_modelId_costUsd_idx";

-- CreateTable
CREATE TABLE "CostMonthlySubject" (
    "month" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" REAL NOT NULL,
    "outputTokens" REAL NOT NULL,
    "cacheReadTokens" REAL NOT NULL,
    "cacheWriteTokens" REAL NOT NULL,
    "costUsd" REAL NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    PRIMARY KEY ("month", "subject")
);

-- CreateIndex
CREATE INDEX "CostMonthlySubject_subject_month_idx" ON "CostMonthlySubject"("subject", "month");

-- Backfill from CostDailySubject (hand-added): the rollup starts equal to a recount of the stored records.
INSERT INTO "CostMonthlySubject" ("month", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
SELECT substr("day", 1, 7), "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"), SUM("costUsd"), SUM("unpricedCalls")
FROM "CostDailySubject" GROUP BY substr("day", 1, 7), "subject";

-- CreateIndex
CREATE INDEX "CostDaily_subject_day_modelId_costUsd_calls_unpricedCalls_inputTokens_outputTokens_cacheReadTokens_cacheWriteTokens_idx" ON "CostDaily"("subject", "day", "modelId", "costUsd", "calls", "unpricedCalls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens");

-- CreateTable
CREATE TABLE "UsageMonthlySubject" (
    "month" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    PRIMARY KEY ("month", "subject", "result")
);

-- CreateIndex
CREATE INDEX "UsageMonthlySubject_subject_month_idx" ON "UsageMonthlySubject"("subject", "month");

-- Backfill from UsageDailySubject (hand-added): the rollup starts equal to a recount of the stored events.
INSERT INTO "UsageMonthlySubject" ("month", "subject", "result", "identityType", "calls")
SELECT substr("day", 1, 7), "subject", "result", MIN("identityType"), SUM("calls")
FROM "UsageDailySubject" GROUP BY substr("day", 1, 7), "subject", "result";
