-- AlterTable
ALTER TABLE "KeyCleanup" ADD COLUMN "accountId" TEXT;

-- AlterTable
ALTER TABLE "KeyRequest" ADD COLUMN "accountId" TEXT;

-- CreateTable
CREATE TABLE "AwsAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "roleArn" TEXT,
    "externalId" TEXT,
    "regions" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "source" TEXT NOT NULL DEFAULT 'manual',
    "signingRoleArn" TEXT,
    "policyMaxKeyAgeDays" INTEGER,
    "policyAllowedModels" TEXT,
    "lastCheckedAt" DATETIME,
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TeamAccount" (
    "teamId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,

    PRIMARY KEY ("teamId", "accountId"),
    CONSTRAINT "TeamAccount_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeamAccount_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "credentialId" TEXT,
    "accountId" TEXT,
    "iamUserName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT,
    "teamId" TEXT,
    "managed" BOOLEAN NOT NULL DEFAULT false,
    "consoleUser" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'Active',
    "state" TEXT NOT NULL DEFAULT 'present',
    "awsCreatedAt" DATETIME,
    "expiresAt" DATETIME,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "idempotencyToken" TEXT,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "adoptedAt" DATETIME,
    "removedAt" DATETIME,
    "lastUsedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ApiKey_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ApiKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ApiKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_ApiKey" ("adoptedAt", "awsCreatedAt", "consoleUser", "createdAt", "createdByEmail", "createdById", "credentialId", "expiresAt", "iamUserName", "id", "idempotencyToken", "lastUsedAt", "managed", "name", "ownerId", "purpose", "removedAt", "settings", "state", "status", "teamId", "updatedAt") SELECT "adoptedAt", "awsCreatedAt", "consoleUser", "createdAt", "createdByEmail", "createdById", "credentialId", "expiresAt", "iamUserName", "id", "idempotencyToken", "lastUsedAt", "managed", "name", "ownerId", "purpose", "removedAt", "settings", "state", "status", "teamId", "updatedAt" FROM "ApiKey";
DROP TABLE "ApiKey";
ALTER TABLE "new_ApiKey" RENAME TO "ApiKey";
CREATE UNIQUE INDEX "ApiKey_credentialId_key" ON "ApiKey"("credentialId");
CREATE UNIQUE INDEX "ApiKey_idempotencyToken_key" ON "ApiKey"("idempotencyToken");
CREATE INDEX "ApiKey_state_status_idx" ON "ApiKey"("state", "status");
CREATE INDEX "ApiKey_teamId_idx" ON "ApiKey"("teamId");
CREATE INDEX "ApiKey_ownerId_idx" ON "ApiKey"("ownerId");
CREATE INDEX "ApiKey_expiresAt_idx" ON "ApiKey"("expiresAt");
CREATE INDEX "ApiKey_iamUserName_idx" ON "ApiKey"("iamUserName");
CREATE INDEX "ApiKey_name_idx" ON "ApiKey"("name");
CREATE INDEX "ApiKey_accountId_idx" ON "ApiKey"("accountId");
CREATE TABLE "new_UsageSyncCursor" (
    "accountId" TEXT NOT NULL DEFAULT '',
    "region" TEXT NOT NULL,
    "syncedThrough" DATETIME,
    "windowStart" DATETIME,
    "windowEnd" DATETIME,
    "resumeBefore" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("accountId", "region")
);
INSERT INTO "new_UsageSyncCursor" ("region", "resumeBefore", "syncedThrough", "updatedAt", "windowEnd", "windowStart") SELECT "region", "resumeBefore", "syncedThrough", "updatedAt", "windowEnd", "windowStart" FROM "UsageSyncCursor";
DROP TABLE "UsageSyncCursor";
ALTER TABLE "new_UsageSyncCursor" RENAME TO "UsageSyncCursor";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AwsAccount_status_idx" ON "AwsAccount"("status");

-- CreateIndex
CREATE INDEX "TeamAccount_accountId_idx" ON "TeamAccount"("accountId");

