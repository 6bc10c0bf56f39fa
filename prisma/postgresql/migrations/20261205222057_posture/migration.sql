-- twin-of: 20261205221501_posture
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- CreateTable
CREATE TABLE "PostureFinding" (
    "id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "accountId" TEXT,
    "apiKeyId" TEXT,
    "iamUserName" TEXT NOT NULL,
    "teamId" TEXT,
    "label" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '{}',
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PostureFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostureAcceptance" (
    "id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "teamId" TEXT,
    "reason" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedById" TEXT,
    "acceptedByEmail" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostureAcceptance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostureEvaluation" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "result" TEXT,
    "error" TEXT,
    "findings" INTEGER NOT NULL DEFAULT 0,
    "iamCalls" TEXT NOT NULL DEFAULT '{}',
    "totalCalls" INTEGER NOT NULL DEFAULT 0,
    "remediation" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "PostureEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostureDaily" (
    "day" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "teamId" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL,

    CONSTRAINT "PostureDaily_pkey" PRIMARY KEY ("day","rule","teamId")
);

-- CreateTable
CREATE TABLE "PostureSettings" (
    "id" TEXT NOT NULL,
    "unusedDays" INTEGER NOT NULL DEFAULT 90,
    "shortTermOnlyTeams" TEXT NOT NULL DEFAULT '[]',
    "autoDisableUnused" BOOLEAN NOT NULL DEFAULT false,
    "autoDeleteOrphans" BOOLEAN NOT NULL DEFAULT false,
    "orphanGraceDays" INTEGER NOT NULL DEFAULT 30,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByEmail" TEXT,

    CONSTRAINT "PostureSettings_pkey" PRIMARY KEY ("id")
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
