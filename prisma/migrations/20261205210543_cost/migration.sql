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
    "checkedAt" DATETIME NOT NULL,
    "errorCode" TEXT,
    "error" TEXT,

    PRIMARY KEY ("accountId", "region")
);

-- CreateTable
CREATE TABLE "InvocationLogCursor" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "logGroupName" TEXT NOT NULL,
    "syncedThrough" DATETIME,
    "lastRunAt" DATETIME,
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "recordsRead" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("accountId", "region")
);

-- CreateTable
CREATE TABLE "InvocationRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" TEXT NOT NULL,
    "timestamp" DATETIME NOT NULL,
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
    "costUsd" REAL,
    "priceId" TEXT,
    "unpricedReason" TEXT
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
    "inputTokens" REAL NOT NULL,
    "outputTokens" REAL NOT NULL,
    "cacheReadTokens" REAL NOT NULL,
    "cacheWriteTokens" REAL NOT NULL,
    "costUsd" REAL NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    PRIMARY KEY ("day", "subject", "accountId", "modelId", "region")
);

-- CreateTable
CREATE TABLE "CostDailyModel" (
    "day" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,
    "inputTokens" REAL NOT NULL,
    "outputTokens" REAL NOT NULL,
    "cacheReadTokens" REAL NOT NULL,
    "cacheWriteTokens" REAL NOT NULL,
    "costUsd" REAL NOT NULL,
    "unpricedCalls" INTEGER NOT NULL,

    PRIMARY KEY ("day", "accountId", "modelId", "region", "identityType")
);

-- CreateTable
CREATE TABLE "ModelPrice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inputPerMTok" REAL NOT NULL,
    "outputPerMTok" REAL NOT NULL,
    "cacheReadPerMTok" REAL,
    "cacheWritePerMTok" REAL,
    "source" TEXT NOT NULL,
    "asOf" TEXT NOT NULL,
    "validFrom" DATETIME NOT NULL,
    "supersededAt" DATETIME,
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
