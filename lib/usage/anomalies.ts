import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { readRows } from "@/lib/db/read";
import { keyReadScope } from "@/lib/keys/scope";
import { describeSubjects, type SubjectInfo } from "./directory";
import type { Viewer } from "./scope";

/**
 * Usage worth a second look, each with a badge on the dashboard and on the key's page:
 * - a key used from a source IP never seen for it before (in the last NEW_IP_DAYS days, for a key
 *   that had been used from other addresses before: a key's very first address is not news);
 * - calls refused because the key is disabled or expired (someone still holds it and tries);
 * - active keys not used for UNUSED_DAYS days (candidates for disabling).
 */
export const NEW_IP_DAYS = 7;
export const REFUSED_DAYS = 30;
export const UNUSED_DAYS = 30;
const DAY_MS = 86_400_000;
const LIST_LIMIT = 20;

export interface Anomalies {
  newSourceIps: { who: SubjectInfo; sourceIp: string; firstSeenAt: string }[];
  refusedKeys: { who: SubjectInfo; calls: number; lastAt: string }[];
  /** null until a sync has completed: before that, "unused" would only mean "not read yet". */
  unusedKeys: { id: string; name: string; iamUserName: string; lastUsedAt: string | null; createdAt: string | null }[] | null;
  counts: { newSourceIps: number; refusedKeys: number; unusedKeys: number };
}

/**
 * `subjects`: the viewer's effective subjects (null = all, for an admin). `keyWhere`: which keys
 * the unused check considers (the viewer's key scope, optionally narrowed to one key or team).
 */
export async function findAnomalies(
  db: PrismaClient,
  subjects: string[] | null,
  keyWhere: Prisma.ApiKeyWhereInput,
  now: Date,
): Promise<Anomalies> {
  // Anomalies are about keys: the viewer's key subjects (null = every key).
  const keys = subjects ? subjects.filter((s) => s.startsWith("key:")) : null;
  const inScope = keys ? { subject: { in: keys } } : { subject: { startsWith: "key:" } };
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS);

  // Independent reads, started together (PostgreSQL runs them side by side).
  const [{ list: newIps, count: newIpCount }, refused, synced] = await Promise.all([
    newSourceIps(db, keys, since(NEW_IP_DAYS)),
    db.usageEvent
      .groupBy({
        by: ["subject"],
        where: { keyRefused: true, eventTime: { gte: since(REFUSED_DAYS) }, ...inScope },
        _count: { _all: true },
        _max: { eventTime: true },
      })
      .then((rows) => rows.sort((a, b) => (b._max.eventTime?.getTime() ?? 0) - (a._max.eventTime?.getTime() ?? 0))),
    db.usageSyncCursor.count({ where: { syncedThrough: { not: null } } }).then((n) => n > 0),
  ]);

  let unused: Anomalies["unusedKeys"] = null;
  let unusedCount = 0;
  if (synced) {
    const cutoff = since(UNUSED_DAYS);
    const where: Prisma.ApiKeyWhereInput = {
      AND: [
        keyWhere,
        { state: "present", status: "Active" },
        { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        // Never used counts only once the key is older than the window.
        { OR: [{ lastUsedAt: { lt: cutoff } }, { lastUsedAt: null, awsCreatedAt: { lt: cutoff } }] },
      ],
    };
    const [count, rows] = await Promise.all([
      db.apiKey.count({ where }),
      db.apiKey.findMany({ where, orderBy: [{ lastUsedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }], take: LIST_LIMIT, select: { id: true, name: true, iamUserName: true, lastUsedAt: true, awsCreatedAt: true } }),
    ]);
    unusedCount = count;
    unused = rows.map((k) => ({ id: k.id, name: k.name, iamUserName: k.iamUserName, lastUsedAt: k.lastUsedAt?.toISOString() ?? null, createdAt: k.awsCreatedAt?.toISOString() ?? null }));
  }

  const info = await describeSubjects(db, [...newIps.map((r) => r.subject), ...refused.slice(0, LIST_LIMIT).map((r) => r.subject)]);
  return {
    newSourceIps: newIps.map((r) => ({ who: info.get(r.subject)!, sourceIp: r.sourceIp, firstSeenAt: r.firstSeenAt.toISOString() })),
    refusedKeys: refused.slice(0, LIST_LIMIT).map((r) => ({ who: info.get(r.subject)!, calls: r._count._all, lastAt: r._max.eventTime!.toISOString() })),
    unusedKeys: unused,
    counts: { newSourceIps: newIpCount, refusedKeys: refused.length, unusedKeys: unusedCount },
  };
}

/**
 * Addresses first seen for a key since `since`, for keys that had been used from another address
 * before (an earlier first-seen time of the same key): the newest LIST_LIMIT and how many in all.
 * Two statements whatever the number of keys: each recent address asks the (subject, firstSeenAt)
 * index whether its key has an earlier one, instead of every key's first address being grouped
 * and shipped to the process (5,000 keys: 3,000 with a new address in a week, bench/http-pages.ts).
 * `keys`: the key subjects to look at (null: every key).
 */
async function newSourceIps(db: PrismaClient, keys: string[] | null, since: Date): Promise<{ list: { subject: string; sourceIp: string; firstSeenAt: Date }[]; count: number }> {
  if (keys && keys.length === 0) return { list: [], count: 0 };
  const where = Prisma.sql`r."firstSeenAt" >= ${since} AND ${keys ? Prisma.sql`r."subject" IN (${Prisma.join(keys)})` : Prisma.sql`r."subject" LIKE 'key:%'`}
    AND EXISTS (SELECT 1 FROM "UsageSourceIp" o WHERE o."subject" = r."subject" AND o."firstSeenAt" < r."firstSeenAt")`;
  // Through readRows: on SQLite the reader threads (lib/db/read.ts) take them off the event loop.
  const [rows, counted] = await Promise.all([
    readRows<{ subject: string; sourceIp: string; firstSeenAt: Date | string }>(
      db,
      Prisma.sql`SELECT r."subject", r."sourceIp", r."firstSeenAt" FROM "UsageSourceIp" r WHERE ${where}
        ORDER BY r."firstSeenAt" DESC, r."subject", r."sourceIp" LIMIT ${LIST_LIMIT}`,
    ),
    readRows<{ n: unknown }>(db, Prisma.sql`SELECT COUNT(*) AS "n" FROM "UsageSourceIp" r WHERE ${where}`),
  ]);
  // PostgreSQL's COUNT is a bigint; SQLite's raw DateTime may come back as text.
  return { list: rows.map((r) => ({ subject: r.subject, sourceIp: r.sourceIp, firstSeenAt: new Date(r.firstSeenAt) })), count: Number(counted[0]?.n ?? 0) };
}

/** The unused-keys scope for a viewer and the dashboard's team / key filter. */
export function anomalyKeyWhere(viewer: Viewer, filters: { team?: string | undefined; who?: string | undefined }): Prisma.ApiKeyWhereInput {
  const and: Prisma.ApiKeyWhereInput[] = [keyReadScope(viewer)];
  if (filters.team) and.push({ teamId: filters.team });
  if (filters.who) and.push(filters.who.startsWith("key:") ? { iamUserName: filters.who.slice(4) } : { id: { in: [] } });
  return { AND: and };
}
