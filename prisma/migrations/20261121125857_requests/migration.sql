-- CreateTable
CREATE TABLE "KeyRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requesterId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "keyName" TEXT NOT NULL DEFAULT '',
    "purpose" TEXT NOT NULL,
    "justification" TEXT NOT NULL DEFAULT '',
    "requestedDuration" INTEGER NOT NULL,
    "requestedModels" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "approvedDuration" INTEGER,
    "approvedModels" TEXT,
    "decidedById" TEXT,
    "decidedByEmail" TEXT,
    "decidedAt" DATETIME,
    "decisionComment" TEXT NOT NULL DEFAULT '',
    "autoApproved" BOOLEAN NOT NULL DEFAULT false,
    "pickupBy" DATETIME,
    "pickupClaimedUntil" DATETIME,
    "pickedUpAt" DATETIME,
    "apiKeyId" TEXT,
    "shortTermIssuanceId" TEXT,
    "expiryRemindedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "KeyRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "KeyRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "KeyRequest_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "KeyRequest_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "KeyRequest_shortTermIssuanceId_fkey" FOREIGN KEY ("shortTermIssuanceId") REFERENCES "ShortTermIssuance" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrgPolicy" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'org',
    "version" INTEGER NOT NULL DEFAULT 1,
    "maxKeyAgeDays" INTEGER,
    "defaultExpiryDays" INTEGER NOT NULL,
    "allowedModels" TEXT NOT NULL DEFAULT '[]',
    "allowedExtraPolicies" TEXT NOT NULL DEFAULT '[]',
    "longTermRequiresApproval" BOOLEAN NOT NULL,
    "shortTermSelfService" BOOLEAN NOT NULL,
    "shortTermMaxMinutes" INTEGER NOT NULL,
    "pickupWindowHours" INTEGER NOT NULL,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WebhookConfig" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'org',
    "version" INTEGER NOT NULL DEFAULT 1,
    "url" TEXT,
    "secret" TEXT,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "params" TEXT NOT NULL DEFAULT '{}',
    "href" TEXT,
    "dedupeKey" TEXT,
    "readAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "event" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "claimedUntil" DATETIME,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "attemptedAt" DATETIME NOT NULL,
    "status" INTEGER,
    "error" TEXT,
    "durationMs" INTEGER NOT NULL,
    CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "KeyRequest_apiKeyId_key" ON "KeyRequest"("apiKeyId");

-- CreateIndex
CREATE UNIQUE INDEX "KeyRequest_shortTermIssuanceId_key" ON "KeyRequest"("shortTermIssuanceId");

-- CreateIndex
CREATE INDEX "KeyRequest_requesterId_createdAt_idx" ON "KeyRequest"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "KeyRequest_teamId_status_idx" ON "KeyRequest"("teamId", "status");

-- CreateIndex
CREATE INDEX "KeyRequest_status_pickupBy_idx" ON "KeyRequest"("status", "pickupBy");

-- CreateIndex
CREATE INDEX "Notification_userId_readAt_createdAt_idx" ON "Notification"("userId", "readAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_dedupeKey_key" ON "Notification"("userId", "dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_createdAt_idx" ON "WebhookDelivery"("createdAt");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_attemptedAt_idx" ON "WebhookAttempt"("deliveryId", "attemptedAt");
