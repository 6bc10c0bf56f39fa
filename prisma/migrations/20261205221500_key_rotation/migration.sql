-- AlterTable
ALTER TABLE "OrgPolicy" ADD COLUMN "rotationDays" INTEGER;

-- CreateTable
CREATE TABLE "KeyRotation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "apiKeyId" TEXT NOT NULL,
    "accountId" TEXT,
    "iamUserName" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "oldCredentialId" TEXT NOT NULL,
    "newCredentialId" TEXT,
    "graceHours" INTEGER NOT NULL,
    "recipientId" TEXT,
    "pickupExpiresAt" DATETIME,
    "graceEndsAt" DATETIME,
    "startedById" TEXT,
    "startedByEmail" TEXT,
    "finishedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "KeyRotation_newCredentialId_key" ON "KeyRotation"("newCredentialId");

-- CreateIndex
CREATE INDEX "KeyRotation_apiKeyId_state_idx" ON "KeyRotation"("apiKeyId", "state");

-- CreateIndex
CREATE INDEX "KeyRotation_state_graceEndsAt_idx" ON "KeyRotation"("state", "graceEndsAt");

