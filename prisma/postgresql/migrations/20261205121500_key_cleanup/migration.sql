-- twin-of: 20261205111712_user_time_zone, 20261205120000_sessions_throttle, 20261205121500_key_cleanup
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- AlterTable
ALTER TABLE "SignInThrottle" ADD COLUMN     "unaudited" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "timeZone" TEXT;

-- CreateTable
CREATE TABLE "UserSession" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyCleanup" (
    "iamUserName" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "reason" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastTriedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "KeyCleanup_pkey" PRIMARY KEY ("iamUserName")
);

-- CreateIndex
CREATE INDEX "UserSession_userId_idx" ON "UserSession"("userId");

-- CreateIndex
CREATE INDEX "UserSession_expiresAt_idx" ON "UserSession"("expiresAt");

-- CreateIndex
CREATE INDEX "KeyCleanup_apiKeyId_idx" ON "KeyCleanup"("apiKeyId");

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
