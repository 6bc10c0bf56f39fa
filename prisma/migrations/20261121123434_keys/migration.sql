-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "credentialId" TEXT,
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
    CONSTRAINT "ApiKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShortTermIssuance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "sourceIdentity" TEXT NOT NULL,
    "roleArn" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "accessKeyId" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "ShortTermIssuance_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ShortTermRevocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sourceIdentity" TEXT NOT NULL,
    "userId" TEXT,
    "revokedBefore" DATETIME NOT NULL,
    "revokedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InventoryRefresh" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trigger" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "result" TEXT NOT NULL DEFAULT 'running',
    "listed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "gone" INTEGER NOT NULL DEFAULT 0,
    "iamCalls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_credentialId_key" ON "ApiKey"("credentialId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_idempotencyToken_key" ON "ApiKey"("idempotencyToken");

-- CreateIndex
CREATE INDEX "ApiKey_state_status_idx" ON "ApiKey"("state", "status");

-- CreateIndex
CREATE INDEX "ApiKey_teamId_idx" ON "ApiKey"("teamId");

-- CreateIndex
CREATE INDEX "ApiKey_ownerId_idx" ON "ApiKey"("ownerId");

-- CreateIndex
CREATE INDEX "ApiKey_expiresAt_idx" ON "ApiKey"("expiresAt");

-- CreateIndex
CREATE INDEX "ApiKey_iamUserName_idx" ON "ApiKey"("iamUserName");

-- CreateIndex
CREATE INDEX "ApiKey_name_idx" ON "ApiKey"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ShortTermIssuance_accessKeyId_key" ON "ShortTermIssuance"("accessKeyId");

-- CreateIndex
CREATE INDEX "ShortTermIssuance_userId_issuedAt_idx" ON "ShortTermIssuance"("userId", "issuedAt");

-- CreateIndex
CREATE INDEX "ShortTermIssuance_sourceIdentity_idx" ON "ShortTermIssuance"("sourceIdentity");

-- CreateIndex
CREATE INDEX "ShortTermIssuance_issuedAt_idx" ON "ShortTermIssuance"("issuedAt");

-- CreateIndex
CREATE INDEX "ShortTermRevocation_sourceIdentity_revokedBefore_idx" ON "ShortTermRevocation"("sourceIdentity", "revokedBefore");

-- CreateIndex
CREATE INDEX "InventoryRefresh_startedAt_idx" ON "InventoryRefresh"("startedAt");

