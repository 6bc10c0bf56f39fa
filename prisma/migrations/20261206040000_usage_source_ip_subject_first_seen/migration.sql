-- CreateIndex
CREATE INDEX "UsageSourceIp_subject_firstSeenAt_idx" ON "UsageSourceIp"("subject", "firstSeenAt");
