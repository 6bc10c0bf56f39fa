-- twin-of: 20261205221500_key_rotation
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- AlterTable
ALTER TABLE "OrgPolicy" ADD COLUMN     "rotationDays" INTEGER;

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
CREATE UNIQUE INDEX "KeyRotation_newCredentialId_key" ON "KeyRotation"("newCredentialId");

-- CreateIndex
CREATE INDEX "KeyRotation_apiKeyId_state_idx" ON "KeyRotation"("apiKeyId", "state");

-- CreateIndex
CREATE INDEX "KeyRotation_state_graceEndsAt_idx" ON "KeyRotation"("state", "graceEndsAt");
