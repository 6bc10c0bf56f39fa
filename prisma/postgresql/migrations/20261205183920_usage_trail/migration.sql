-- twin-of: 20261205183920_usage_trail
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN     "usageSource" TEXT NOT NULL DEFAULT 'lookup';

-- AlterTable
ALTER TABLE "UsageSyncRun" ADD COLUMN     "backfillFrom" TEXT;

-- CreateTable
CREATE TABLE "UsageTrailConfig" (
    "id" TEXT NOT NULL DEFAULT 'org',
    "version" INTEGER NOT NULL DEFAULT 1,
    "bucket" TEXT NOT NULL,
    "prefix" TEXT NOT NULL DEFAULT '',
    "orgId" TEXT NOT NULL DEFAULT '',
    "bucketRegion" TEXT NOT NULL,
    "readerAccountId" TEXT,
    "queueUrl" TEXT,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsageTrailConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageTrailCursor" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "completeBefore" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsageTrailCursor_pkey" PRIMARY KEY ("accountId","region")
);

-- CreateTable
CREATE TABLE "UsageTrailFile" (
    "key" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "records" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageTrailFile_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "UsageTrailFile_accountId_region_day_idx" ON "UsageTrailFile"("accountId", "region", "day");
