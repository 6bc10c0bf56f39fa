-- CreateTable
CREATE TABLE "UsageDailyModel" (
    "day" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "inferenceRegion" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    PRIMARY KEY ("day", "modelId", "result", "identityType", "region", "inferenceRegion")
);

-- CreateTable
CREATE TABLE "UsageDailySubject" (
    "day" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "identityType" TEXT NOT NULL,
    "calls" INTEGER NOT NULL,

    PRIMARY KEY ("day", "subject", "result")
);

-- CreateIndex
CREATE INDEX "UsageDailySubject_subject_day_idx" ON "UsageDailySubject"("subject", "day");
