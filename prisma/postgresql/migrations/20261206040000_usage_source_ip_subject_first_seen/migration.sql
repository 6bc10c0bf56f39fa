-- twin-of: 20261206040000_usage_source_ip_subject_first_seen
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma).

-- CreateIndex
CREATE INDEX "UsageSourceIp_subject_firstSeenAt_idx" ON "UsageSourceIp"("subject", "firstSeenAt");
