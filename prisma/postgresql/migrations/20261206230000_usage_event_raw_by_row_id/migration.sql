-- twin-of: 20261206230000_usage_event_raw_by_row_id
-- PostgreSQL twin written by `npm run db:migration` (prisma migrate diff from the committed
-- PostgreSQL migrations to prisma/postgresql/schema.prisma); the raw records carried over to
-- their event's row id by hand (the diff alone dropped the column and could not fill the new one).

-- AlterTable
ALTER TABLE "UsageEventRaw" ADD COLUMN "id" INTEGER;
UPDATE "UsageEventRaw" r SET "id" = e."id" FROM "UsageEvent" e WHERE e."eventId" = r."eventId";
DELETE FROM "UsageEventRaw" WHERE "id" IS NULL;
ALTER TABLE "UsageEventRaw" DROP CONSTRAINT "UsageEventRaw_pkey",
DROP COLUMN "eventId",
ALTER COLUMN "id" SET NOT NULL,
ADD CONSTRAINT "UsageEventRaw_pkey" PRIMARY KEY ("id");
