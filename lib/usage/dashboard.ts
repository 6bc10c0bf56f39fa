import { costOverview } from "@/lib/cost/queries";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { anomalyKeyWhere, findAnomalies } from "./anomalies";
import type { UsageFilters } from "./filters";
import { dayVersions } from "./daily-cache";
import { filterOptions, getEvent, listEvents, resolveWhere, usageOverview } from "./queries";
import type { Viewer } from "./scope";
import { lastCompleteSync, latestSyncStatus } from "./sync-job";
import { getTrailConfig } from "./trail-settings";

/**
 * Everything the /usage page shows, in one call: what the page renders and what the dashboard
 * benchmark (bench/usage-dashboard.ts) times.
 */
export async function loadUsageDashboard(db: PrismaClient, viewer: Viewer, filters: UsageFilters, now: Date, regions: readonly string[]) {
  const where = await resolveWhere(db, viewer, filters, now);
  // Independent reads, started together: on PostgreSQL they run side by side on the pool's
  // connections, on SQLite the charts' reads on the reader threads (lib/db/read.ts), so the page
  // waits for the slowest rather than the sum. Only the events page and the filter choices wait
  // for the overview (its count and its models). The cost section starts first: its cost per day
  // by model is the longest read, and the readers take statements in the order they come.
  // The usage days' versions (the day cache's), read once for the overview and the filter choices.
  const versions = dayVersions(db, "usage", where.range.fromDay, where.range.toDay);
  const [cost, { overview, events, options }, anomalies, sync, syncedThrough, detail, trail] = await Promise.all([
    // Tokens and cost (issue 15), from the invocation-log rollups, same scope and filters.
    costOverview(db, viewer, where),
    usageOverview(db, where, versions).then(async (overview) => {
      const [events, options] = await Promise.all([listEvents(db, where, filters.page, overview.totals.calls), filterOptions(db, viewer, where, overview.models, regions, versions)]);
      return { overview, events, options };
    }),
    findAnomalies(db, where.subjects, anomalyKeyWhere(viewer, filters), now),
    latestSyncStatus(db),
    lastCompleteSync(db),
    filters.event ? getEvent(db, viewer, filters.event) : Promise.resolve(null),
    getTrailConfig(db),
  ]);
  // Has anything ever been stored? Tells "nothing matches the filters" from "nothing synced yet".
  // Invocation-log cost counts too: an account may log invocations before CloudTrail is synced.
  const anyUsage = overview.totals.calls > 0 || cost.totals.calls > 0 || (await db.usageEvent.findFirst({ select: { id: true } })) !== null;
  // The trail's bucket (issue 19) offers a backfill on the sync panel; its name is not scoped data.
  const trailBucket = trail ? `s3://${trail.bucket}${trail.prefix ? `/${trail.prefix}` : ""}` : null;
  return { overview, cost, events, anomalies, options, sync, syncedThrough: syncedThrough?.toISOString() ?? null, detail, anyUsage, trailBucket };
}

export type UsageDashboard = Awaited<ReturnType<typeof loadUsageDashboard>>;
