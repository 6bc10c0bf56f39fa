-- AlterTable
ALTER TABLE "UsageSyncRun" ADD COLUMN "backfillFrom" TEXT;

-- CreateTable
CREATE TABLE "UsageTrailConfig" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'org',
    "version" INTEGER NOT NULL DEFAULT 1,
    "bucket" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "orgId" TEXT NOT NULL DEFAULT '',
    "bucketRegion" TEXT NOT NULL,
    "readerAccountId" TEXT,
    "queueUrl" TEXT,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UsageTrailCursor" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "completeBefore" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("accountId", "region")
);

-- CreateTable
CREATE TABLE "UsageTrailFile" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "records" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "readAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- AlterTable (an added column, no table rebuild)
ALTER TABLE "AwsAccount" ADD COLUMN "usageSource" TEXT NOT NULL DEFAULT 'lookup';

-- CreateIndex
CREATE INDEX "UsageTrailFile_accountId_region_day_idx" ON "UsageTrailFile"("accountId", "region", "day");
