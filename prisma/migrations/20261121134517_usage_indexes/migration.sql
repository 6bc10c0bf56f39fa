-- DropIndex
DROP INDEX "UsageDaily_subject_day_idx";

-- CreateIndex
CREATE INDEX "UsageDaily_subject_day_modelId_result_calls_idx" ON "UsageDaily"("subject", "day", "modelId", "result", "calls");

-- CreateIndex
CREATE INDEX "UsageDaily_subject_day_region_inferenceRegion_result_calls_idx" ON "UsageDaily"("subject", "day", "region", "inferenceRegion", "result", "calls");

-- CreateIndex
CREATE INDEX "UsageDailyModel_day_modelId_result_identityType_region_inferenceRegion_calls_idx" ON "UsageDailyModel"("day", "modelId", "result", "identityType", "region", "inferenceRegion", "calls");

-- CreateIndex
CREATE INDEX "UsageDailyModel_day_region_inferenceRegion_result_identityType_modelId_calls_idx" ON "UsageDailyModel"("day", "region", "inferenceRegion", "result", "identityType", "modelId", "calls");

-- CreateIndex
CREATE INDEX "UsageDailySubject_day_subject_result_identityType_calls_idx" ON "UsageDailySubject"("day", "subject", "result", "identityType", "calls");
