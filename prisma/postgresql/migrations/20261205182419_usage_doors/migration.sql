-- twin-of: 20261205182419_usage_doors
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).
-- The data statements are at the end, written by hand.


-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN     "api" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "endpoint" TEXT NOT NULL DEFAULT 'runtime',
ADD COLUMN     "project" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "UsageDailyApi" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageDailyApi_pkey" PRIMARY KEY ("day","subject","api","endpoint","project","result")
);

-- CreateTable
CREATE TABLE "UsageDailyApiAll" (
    "day" TEXT NOT NULL,
    "api" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    CONSTRAINT "UsageDailyApiAll_pkey" PRIMARY KEY ("day","api","endpoint","identityType","result")
);

-- CreateIndex
CREATE INDEX "UsageDailyApi_subject_day_api_endpoint_result_calls_idx" ON "UsageDailyApi"("subject", "day", "api", "endpoint", "result", "calls");

-- Backfill (hand-written twin of the SQLite migration's data statements): every event stored so
-- far came through bedrock-runtime's own operations.
UPDATE "UsageEvent" SET "api" = CASE WHEN "eventName" IN ('Converse', 'ConverseStream') THEN 'converse' ELSE 'invoke_model' END;
INSERT INTO "UsageDailyApi" ("day", "subject", "identityType", "api", "endpoint", "project", "result", "calls")
  SELECT "day", "subject", MIN("identityType"), "api", "endpoint", "project", "result", COUNT(*) FROM "UsageEvent"
  GROUP BY "day", "subject", "api", "endpoint", "project", "result";
INSERT INTO "UsageDailyApiAll" ("day", "api", "endpoint", "identityType", "result", "calls")
  SELECT "day", "api", "endpoint", "identityType", "result", COUNT(*) FROM "UsageEvent"
  GROUP BY "day", "api", "endpoint", "identityType", "result";

-- CreateIndex
CREATE INDEX "UsageEvent_api_eventTime_idx" ON "UsageEvent"("api", "eventTime");
