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
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "goneAt" DATETIME,

    PRIMARY KEY ("accountId", "region", "id")
);

-- CreateTable
CREATE TABLE "BedrockCatalogueRead" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "readAt" DATETIME NOT NULL,
    "okAt" DATETIME,
    "models" INTEGER NOT NULL DEFAULT 0,
    "profiles" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,

    PRIMARY KEY ("accountId", "region")
);

-- CreateIndex
CREATE INDEX "BedrockCatalogueEntry_region_goneAt_idx" ON "BedrockCatalogueEntry"("region", "goneAt");

