-- CreateTable
CREATE TABLE "UsageEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" TEXT NOT NULL,
    "eventTime" DATETIME NOT NULL,
    "day" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL DEFAULT '',
    "eventName" TEXT NOT NULL,
    "modelId" TEXT NOT NULL DEFAULT '',
    "identityType" TEXT NOT NULL,
    "principalArn" TEXT NOT NULL DEFAULT '',
    "principalName" TEXT NOT NULL DEFAULT '',
    "sourceIdentity" TEXT,
    "accessKeyId" TEXT,
    "subject" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "sourceIp" TEXT NOT NULL DEFAULT '',
    "userAgent" TEXT NOT NULL DEFAULT '',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "result" TEXT NOT NULL,
    "keyRefused" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "UsageEventRaw" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "json" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    PRIMARY KEY ("day", "subject", "modelId", "region", "inferenceRegion", "result")
);

-- CreateTable
CREATE TABLE "UsageSubject" (
    "subject" TEXT NOT NULL PRIMARY KEY,
    "identityType" TEXT NOT NULL,
    "principalName" TEXT NOT NULL,
    "principalArn" TEXT NOT NULL DEFAULT '',
    "sourceIdentity" TEXT,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UsageSourceIp" (
    "subject" TEXT NOT NULL,
    "sourceIp" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "calls" INTEGER NOT NULL,

    PRIMARY KEY ("subject", "sourceIp")
);

-- CreateTable
CREATE TABLE "UsageSyncCursor" (
    "region" TEXT NOT NULL PRIMARY KEY,
    "syncedThrough" DATETIME,
    "windowStart" DATETIME,
    "windowEnd" DATETIME,
    "resumeBefore" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UsageSyncRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trigger" TEXT NOT NULL,
    "full" BOOLEAN NOT NULL DEFAULT false,
    "requestedById" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'running',
    "pages" INTEGER NOT NULL DEFAULT 0,
    "eventsRead" INTEGER NOT NULL DEFAULT 0,
    "eventsInserted" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "progress" REAL NOT NULL DEFAULT 0,
    "etaSeconds" INTEGER,
    "regions" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "UsageEvent_eventId_key" ON "UsageEvent"("eventId");

-- CreateIndex
CREATE INDEX "UsageEvent_eventTime_idx" ON "UsageEvent"("eventTime");

-- CreateIndex
CREATE INDEX "UsageEvent_subject_eventTime_idx" ON "UsageEvent"("subject", "eventTime");

-- CreateIndex
CREATE INDEX "UsageEvent_apiKeyId_eventTime_idx" ON "UsageEvent"("apiKeyId", "eventTime");

-- CreateIndex
CREATE INDEX "UsageEvent_keyRefused_eventTime_idx" ON "UsageEvent"("keyRefused", "eventTime");

-- CreateIndex
CREATE INDEX "UsageDaily_subject_day_idx" ON "UsageDaily"("subject", "day");

-- CreateIndex
CREATE INDEX "UsageSubject_apiKeyId_idx" ON "UsageSubject"("apiKeyId");

-- CreateIndex
CREATE INDEX "UsageSubject_userId_idx" ON "UsageSubject"("userId");

-- CreateIndex
CREATE INDEX "UsageSourceIp_firstSeenAt_idx" ON "UsageSourceIp"("firstSeenAt");

-- CreateIndex
CREATE INDEX "UsageSyncRun_startedAt_idx" ON "UsageSyncRun"("startedAt");
