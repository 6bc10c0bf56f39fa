-- CreateTable
CREATE TABLE "CostDailySubject" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" REAL NOT NULL,
    "outputTokens" REAL NOT NULL,
    "cacheReadTokens" REAL NOT NULL,
    "cacheWriteTokens" REAL NOT NULL,
    "costUsd" REAL NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    PRIMARY KEY ("day", "subject")
);

-- CreateIndex
CREATE INDEX "CostDailySubject_subject_day_costUsd_calls_unpricedCalls_idx" ON "CostDailySubject"("subject", "day", "costUsd", "calls", "unpricedCalls");

-- CreateIndex
CREATE INDEX "CostDailySubject_day_subject_identityType_costUsd_calls_unpricedCalls_inputTokens_outputTokens_cacheReadTokens_cacheWriteTokens_idx" ON "CostDailySubject"("day", "subject", "identityType", "costUsd", "calls", "unpricedCalls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens");

-- Backfill from CostDaily (hand-added): the rollup starts equal to a recount of the stored records.
INSERT INTO "CostDailySubject" ("day", "subject", "identityType", "calls", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costUsd", "unpricedCalls")
SELECT "day", "subject", MIN("identityType"), SUM("calls"), SUM("inputTokens"), SUM("outputTokens"), SUM("cacheReadTokens"), SUM("cacheWriteTokens"), SUM("costUsd"), SUM("unpricedCalls")
FROM "CostDaily" GROUP BY "day", "subject";
