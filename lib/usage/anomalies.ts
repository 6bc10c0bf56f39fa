import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
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
  const inScope = subjects ? { subject: { in: subjects.filter((s) => s.startsWith("key:")) } } : { subject: { startsWith: "key:" } };
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS);

  const recentIps = await db.usageSourceIp.findMany({
    where: { ...inScope, firstSeenAt: { gte: since(NEW_IP_DAYS) } },
    orderBy: { firstSeenAt: "desc" },
    select: { subject: true, sourceIp: true, firstSeenAt: true },
  });
  const recentSubjects = [...new Set(recentIps.map((r) => r.subject))];
  // Everything in scope (an admin): one pass over every key's addresses is cheaper than thousands
  // of subjects asked for in slices (SQLite, 5,000 keys, 3,000 of them with a new address: the
  // one pass takes 18 ms; the whole anomaly check took 50–66 ms with the slices).
  const firstBySubject =
    subjects === null && recentSubjects.length > IN_SLICE ? await firstSeenWhere(db, inScope) : await firstSeenBySubject(db, recentSubjects);
  const newIps = recentIps.filter((r) => r.firstSeenAt.getTime() > (firstBySubject.get(r.subject) ?? Infinity));

  const refused = await db.usageEvent.groupBy({
    by: ["subject"],
    where: { keyRefused: true, eventTime: { gte: since(REFUSED_DAYS) }, ...inScope },
    _count: { _all: true },
    _max: { eventTime: true },
  });
  refused.sort((a, b) => (b._max.eventTime?.getTime() ?? 0) - (a._max.eventTime?.getTime() ?? 0));

  const synced = (await db.usageSyncCursor.count({ where: { syncedThrough: { not: null } } })) > 0;
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

  const info = await describeSubjects(db, [...newIps.slice(0, LIST_LIMIT).map((r) => r.subject), ...refused.slice(0, LIST_LIMIT).map((r) => r.subject)]);
  return {
    newSourceIps: newIps.slice(0, LIST_LIMIT).map((r) => ({ who: info.get(r.subject)!, sourceIp: r.sourceIp, firstSeenAt: r.firstSeenAt.toISOString() })),
    refusedKeys: refused.slice(0, LIST_LIMIT).map((r) => ({ who: info.get(r.subject)!, calls: r._count._all, lastAt: r._max.eventTime!.toISOString() })),
    unusedKeys: unused,
    counts: { newSourceIps: newIps.length, refusedKeys: refused.length, unusedKeys: unusedCount },
  };
}

/**
 * Bound parameters per statement are capped (SQLite; Prisma refuses a groupBy over more), and an
 * organisation with thousands of keys easily has more keys with a new address in a week than that
 * (bench/http-pages.ts: 5,000 keys, 1,000,000 calls). So the subjects are asked for in slices.
 */
const IN_SLICE = 500;

/** Each subject's first-ever source address time (ms). */
async function firstSeenBySubject(db: PrismaClient, subjects: string[]): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  for (let i = 0; i < subjects.length; i += IN_SLICE) {
    for (const [subject, at] of await firstSeenWhere(db, { subject: { in: subjects.slice(i, i + IN_SLICE) } })) first.set(subject, at);
  }
  return first;
}

async function firstSeenWhere(db: PrismaClient, where: Prisma.UsageSourceIpWhereInput): Promise<Map<string, number>> {
  const groups = await db.usageSourceIp.groupBy({ by: ["subject"], where, _min: { firstSeenAt: true } });
  return new Map(groups.map((g) => [g.subject, g._min.firstSeenAt?.getTime() ?? 0]));
}

/** The unused-keys scope for a viewer and the dashboard's team / key filter. */
export function anomalyKeyWhere(viewer: Viewer, filters: { team?: string | undefined; who?: string | undefined }): Prisma.ApiKeyWhereInput {
  const and: Prisma.ApiKeyWhereInput[] = [keyReadScope(viewer)];
  if (filters.team) and.push({ teamId: filters.team });
  if (filters.who) and.push(filters.who.startsWith("key:") ? { iamUserName: filters.who.slice(4) } : { id: { in: [] } });
  return { AND: and };
}
