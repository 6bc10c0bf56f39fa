-- twin-of: 20261205213000_bedrock_catalogue
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

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

-- CreateIndex
CREATE INDEX "BedrockCatalogueEntry_region_goneAt_idx" ON "BedrockCatalogueEntry"("region", "goneAt");
