-- UsageEventRaw keyed by its event's row id (UsageEvent.id, which only grows) instead of the
-- CloudTrail eventID (random): each ingested event appended to the table's B-tree instead of
-- writing a random page of the eventID index (issue 19's ingest). Raw records whose event is gone
-- (none are expected: retention deletes both together) are not carried over.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UsageEventRaw" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "json" TEXT NOT NULL
);
INSERT INTO "new_UsageEventRaw" ("id", "json")
SELECT e."id", r."json" FROM "UsageEventRaw" r JOIN "UsageEvent" e ON e."eventId" = r."eventId";
DROP TABLE "UsageEventRaw";
ALTER TABLE "new_UsageEventRaw" RENAME TO "UsageEventRaw";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
