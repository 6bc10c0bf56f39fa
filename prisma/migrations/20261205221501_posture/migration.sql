-- CreateTable
CREATE TABLE "PostureFinding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "accountId" TEXT,
    "apiKeyId" TEXT,
    "iamUserName" TEXT NOT NULL,
    "teamId" TEXT,
    "label" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PostureAcceptance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fingerprint" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "teamId" TEXT,
    "reason" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "acceptedById" TEXT,
    "acceptedByEmail" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PostureEvaluation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "trigger" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "result" TEXT,
    "error" TEXT,
    "findings" INTEGER NOT NULL DEFAULT 0,
    "iamCalls" TEXT NOT NULL DEFAULT '{}',
    "totalCalls" INTEGER NOT NULL DEFAULT 0,
    "remediation" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "PostureDaily" (
    "day" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "teamId" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "rule", "teamId")
);

-- CreateTable
CREATE TABLE "PostureSettings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "unusedDays" INTEGER NOT NULL DEFAULT 90,
    "shortTermOnlyTeams" TEXT NOT NULL DEFAULT '[]',
    "autoDisableUnused" BOOLEAN NOT NULL DEFAULT false,
    "autoDeleteOrphans" BOOLEAN NOT NULL DEFAULT false,
    "orphanGraceDays" INTEGER NOT NULL DEFAULT 30,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL,
    "updatedByEmail" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "PostureFinding_fingerprint_key" ON "PostureFinding"("fingerprint");

-- CreateIndex
CREATE INDEX "PostureFinding_rule_idx" ON "PostureFinding"("rule");

-- CreateIndex
CREATE INDEX "PostureFinding_teamId_idx" ON "PostureFinding"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "PostureAcceptance_fingerprint_key" ON "PostureAcceptance"("fingerprint");

-- CreateIndex
CREATE INDEX "PostureAcceptance_expiresAt_idx" ON "PostureAcceptance"("expiresAt");

