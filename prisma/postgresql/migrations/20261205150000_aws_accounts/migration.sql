-- twin-of: 20261205150000_aws_accounts
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "accountId" TEXT;

-- AlterTable
ALTER TABLE "KeyCleanup" ADD COLUMN     "accountId" TEXT;

-- AlterTable
ALTER TABLE "KeyRequest" ADD COLUMN     "accountId" TEXT;

-- AlterTable
ALTER TABLE "UsageSyncCursor" DROP CONSTRAINT "UsageSyncCursor_pkey",
ADD COLUMN     "accountId" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "UsageSyncCursor_pkey" PRIMARY KEY ("accountId", "region");

-- CreateTable
CREATE TABLE "AwsAccount" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "roleArn" TEXT,
    "externalId" TEXT,
    "regions" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "source" TEXT NOT NULL DEFAULT 'manual',
    "signingRoleArn" TEXT,
    "policyMaxKeyAgeDays" INTEGER,
    "policyAllowedModels" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AwsAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamAccount" (
    "teamId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,

    CONSTRAINT "TeamAccount_pkey" PRIMARY KEY ("teamId","accountId")
);

-- CreateIndex
CREATE INDEX "AwsAccount_status_idx" ON "AwsAccount"("status");

-- CreateIndex
CREATE INDEX "TeamAccount_accountId_idx" ON "TeamAccount"("accountId");

-- CreateIndex
CREATE INDEX "ApiKey_accountId_idx" ON "ApiKey"("accountId");

-- AddForeignKey
ALTER TABLE "TeamAccount" ADD CONSTRAINT "TeamAccount_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamAccount" ADD CONSTRAINT "TeamAccount_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AwsAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
