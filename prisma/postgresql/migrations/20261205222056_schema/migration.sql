-- twin-of: (none: PostgreSQL only)
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- AlterTable
ALTER TABLE "OrgPolicy" ADD COLUMN     "rotationDays" INTEGER;

-- CreateTable
CREATE TABLE "BedrockCatalogueEntry" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "geography" TEXT,
    "lifecycle" TEXT NOT NULL DEFAULT 'ACTIVE',
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "goneAt" TIMESTAMP(3),

    CONSTRAINT "BedrockCatalogueEntry_pkey" PRIMARY KEY ("accountId","region","id")
);

-- CreateTable
CREATE TABLE "BedrockCatalogueRead" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,
    "okAt" TIMESTAMP(3),
    "models" INTEGER NOT NULL DEFAULT 0,
    "profiles" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,

    CONSTRAINT "BedrockCatalogueRead_pkey" PRIMARY KEY ("accountId","region")
);

-- CreateTable
CREATE TABLE "Budget" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "teamId" TEXT,
    "unit" TEXT NOT NULL,
    "amount" DOUBLE PRECISION NOT NULL,
    "thresholds" TEXT NOT NULL DEFAULT '[50,80,100]',
    "enforce" BOOLEAN NOT NULL DEFAULT false,
    "revokeShortTerm" BOOLEAN NOT NULL DEFAULT false,
    "reenable" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "updatedByEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" TEXT NOT NULL,
    "budgetId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "spent" DOUBLE PRECISION NOT NULL,
    "limit" DOUBLE PRECISION NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetAction" (
    "id" TEXT NOT NULL,
    "budgetId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "targetLabel" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "error" TEXT,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "undoneAt" TIMESTAMP(3),
    "undoStatus" TEXT,

    CONSTRAINT "BudgetAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetPolicy" (
    "id" TEXT NOT NULL,
    "leadCeilingUsd" DOUBLE PRECISION,
    "leadCeilingTokens" DOUBLE PRECISION,
    "updatedByEmail" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BudgetPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailSettings" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "tlsMode" TEXT NOT NULL,
    "username" TEXT,
    "passwordSealed" TEXT,
    "fromAddress" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedByEmail" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MailSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailOutbox" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyRotation" (
    "id" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "accountId" TEXT,
    "iamUserName" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "oldCredentialId" TEXT NOT NULL,
    "newCredentialId" TEXT,
    "graceHours" INTEGER NOT NULL,
    "recipientId" TEXT,
    "pickupExpiresAt" TIMESTAMP(3),
    "graceEndsAt" TIMESTAMP(3),
    "startedById" TEXT,
    "startedByEmail" TEXT,
    "finishedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KeyRotation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BedrockCatalogueEntry_region_goneAt_idx" ON "BedrockCatalogueEntry"("region", "goneAt");

-- CreateIndex
CREATE UNIQUE INDEX "Budget_scopeKey_key" ON "Budget"("scopeKey");

-- CreateIndex
CREATE INDEX "Budget_teamId_idx" ON "Budget"("teamId");

-- CreateIndex
CREATE INDEX "Budget_userId_idx" ON "Budget"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_budgetId_period_threshold_key" ON "BudgetAlert"("budgetId", "period", "threshold");

-- CreateIndex
CREATE INDEX "BudgetAction_kind_targetId_undoneAt_idx" ON "BudgetAction"("kind", "targetId", "undoneAt");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAction_budgetId_period_kind_targetId_key" ON "BudgetAction"("budgetId", "period", "kind", "targetId");

-- CreateIndex
CREATE INDEX "MailOutbox_status_nextAttemptAt_idx" ON "MailOutbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "KeyRotation_newCredentialId_key" ON "KeyRotation"("newCredentialId");

-- CreateIndex
CREATE INDEX "KeyRotation_apiKeyId_state_idx" ON "KeyRotation"("apiKeyId", "state");

-- CreateIndex
CREATE INDEX "KeyRotation_state_graceEndsAt_idx" ON "KeyRotation"("state", "graceEndsAt");

-- AddForeignKey
ALTER TABLE "BudgetAlert" ADD CONSTRAINT "BudgetAlert_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BudgetAction" ADD CONSTRAINT "BudgetAction_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget"("id") ON DELETE CASCADE ON UPDATE CASCADE;
