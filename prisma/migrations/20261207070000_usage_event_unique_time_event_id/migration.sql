-- UsageEvent unique on (eventTime, eventId) instead of eventId alone (issue 19's ingest): led by
-- the time, each ingested event lands near the end of the index instead of on a random page of an
-- index on the random CloudTrail eventID, so a transaction of 2,000 events writes a few dozen index
-- pages instead of about 2,000 (WAL, checkpoints). The same event always has the same eventTime, so
-- it is still stored once. The new index also serves every query by time range, so the index on
-- eventTime alone goes.
DROP INDEX "UsageEvent_eventId_key";
DROP INDEX "UsageEvent_eventTime_idx";
CREATE UNIQUE INDEX "UsageEvent_eventTime_eventId_key" ON "UsageEvent"("eventTime", "eventId");
