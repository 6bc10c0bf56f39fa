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
