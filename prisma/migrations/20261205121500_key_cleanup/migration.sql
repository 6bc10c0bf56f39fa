-- CreateTable
CREATE TABLE "KeyCleanup" (
    "iamUserName" TEXT NOT NULL PRIMARY KEY,
    "apiKeyId" TEXT,
    "reason" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastTriedAt" DATETIME,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "KeyCleanup_apiKeyId_idx" ON "KeyCleanup"("apiKeyId");
