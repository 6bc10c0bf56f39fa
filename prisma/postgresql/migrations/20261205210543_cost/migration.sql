-- twin-of: 20261205210543_cost
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- CreateTable
CREATE TABLE "InvocationLoggingStatus" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "logGroupName" TEXT,
    "roleArn" TEXT,
    "s3BucketName" TEXT,
    "textDelivery" BOOLEAN NOT NULL DEFAULT false,
    "imageDelivery" BOOLEAN NOT NULL DEFAULT false,
    "embeddingDelivery" BOOLEAN NOT NULL DEFAULT false,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "errorCode" TEXT,
    "error" TEXT,

    CONSTRAINT "InvocationLoggingStatus_pkey" PRIMARY KEY ("accountId","region")
);

-- CreateTable
CREATE TABLE "InvocationLogCursor" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "logGroupName" TEXT NOT NULL,
    "syncedThrough" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "recordsRead" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InvocationLogCursor_pkey" PRIMARY KEY ("accountId","region")
);

-- CreateTable
CREATE TABLE "InvocationRecord" (
    "id" SERIAL NOT NULL,
    "requestId" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "day" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL DEFAULT '',
    "operation" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "priceModelId" TEXT NOT NULL,
    "identityArn" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "cacheReadTokens" INTEGER NOT NULL DEFAULT 0,
    "cacheWriteTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION,
    "priceId" TEXT,
    "unpricedReason" TEXT,

    CONSTRAINT "InvocationRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CostDaily" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" DOUBLE PRECISION NOT NULL,
    "outputTokens" DOUBLE PRECISION NOT NULL,
    "cacheReadTokens" DOUBLE PRECISION NOT NULL,
    "cacheWriteTokens" DOUBLE PRECISION NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    CONSTRAINT "CostDaily_pkey" PRIMARY KEY ("day","subject","accountId","modelId","region")
);

-- CreateTable
CREATE TABLE "CostDailyModel" (
    "day" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" DOUBLE PRECISION NOT NULL,
    "outputTokens" DOUBLE PRECISION NOT NULL,
    "cacheReadTokens" DOUBLE PRECISION NOT NULL,
    "cacheWriteTokens" DOUBLE PRECISION NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    CONSTRAINT "CostDailyModel_pkey" PRIMARY KEY ("day","accountId","modelId","region","identityType")
);

-- CreateTable
CREATE TABLE "ModelPrice" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inputPerMTok" DOUBLE PRECISION NOT NULL,
    "outputPerMTok" DOUBLE PRECISION NOT NULL,
    "cacheReadPerMTok" DOUBLE PRECISION,
    "cacheWritePerMTok" DOUBLE PRECISION,
    "source" TEXT NOT NULL,
    "asOf" TEXT NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "supersededAt" TIMESTAMP(3),
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelPrice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InvocationRecord_requestId_key" ON "InvocationRecord"("requestId");

-- CreateIndex
CREATE INDEX "InvocationRecord_timestamp_idx" ON "InvocationRecord"("timestamp");

-- CreateIndex
CREATE INDEX "InvocationRecord_subject_timestamp_idx" ON "InvocationRecord"("subject", "timestamp");

-- CreateIndex
CREATE INDEX "InvocationRecord_apiKeyId_timestamp_idx" ON "InvocationRecord"("apiKeyId", "timestamp");

-- CreateIndex
CREATE INDEX "InvocationRecord_userId_timestamp_idx" ON "InvocationRecord"("userId", "timestamp");

-- CreateIndex
CREATE INDEX "CostDaily_subject_day_modelId_costUsd_idx" ON "CostDaily"("subject", "day", "modelId", "costUsd");

-- CreateIndex
CREATE INDEX "CostDaily_day_subject_costUsd_idx" ON "CostDaily"("day", "subject", "costUsd");

-- CreateIndex
CREATE INDEX "CostDailyModel_day_modelId_costUsd_idx" ON "CostDailyModel"("day", "modelId", "costUsd");

-- CreateIndex
CREATE INDEX "ModelPrice_modelId_region_supersededAt_idx" ON "ModelPrice"("modelId", "region", "supersededAt");
