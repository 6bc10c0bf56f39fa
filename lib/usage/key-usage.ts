import type { PrismaClient } from "@/lib/generated/prisma/client";
import { keyReadScope, VISIBLE_STATES } from "@/lib/keys/scope";
import { findAnomalies, NEW_IP_DAYS } from "./anomalies";
import { dayRange } from "./filters";
import type { Viewer } from "./scope";

const DAY_MS = 86_400_000;

/**
 * Usage of one long-term key for its page: calls per day (30 days), top models, source IPs and
 * the key's anomaly badges. Null when the key is outside the viewer's scope (the page 404s then).
 */
export async function keyUsage(db: PrismaClient, viewer: Viewer, keyId: string, now: Date) {
  const key = await db.apiKey.findFirst({
    where: { AND: [{ id: keyId }, { state: { in: VISIBLE_STATES } }, keyReadScope(viewer)] },
    select: { id: true, name: true, iamUserName: true, lastUsedAt: true },
  });
  if (!key) return null;
  const subject = `key:${key.iamUserName}`;
  const range = dayRange({ range: "30" }, now);
  const rollups = await db.usageDaily.groupBy({
    by: ["day", "modelId", "result"],
    where: { subject, day: { gte: range.fromDay, lte: range.toDay } },
    _sum: { calls: true },
  });
  const days = new Map(range.days.map((day) => [day, { day, success: 0, errors: 0 }]));
  const models = new Map<string, number>();
  for (const g of rollups) {
    const n = g._sum.calls ?? 0;
    const d = days.get(g.day);
    if (d) d[g.result === "error" ? "errors" : "success"] += n;
    models.set(g.modelId, (models.get(g.modelId) ?? 0) + n);
  }
  const byApi = await db.usageDailyApi.groupBy({ by: ["api", "endpoint"], where: { subject, day: { gte: range.fromDay, lte: range.toDay } }, _sum: { calls: true } });
  const [ips, anomalies] = await Promise.all([
    db.usageSourceIp.findMany({ where: { subject }, orderBy: { lastSeenAt: "desc" }, take: 10, select: { sourceIp: true, firstSeenAt: true, lastSeenAt: true, calls: true } }),
    findAnomalies(db, [subject], { id: key.id }, now),
  ]);
  const firstEver = ips.length ? await db.usageSourceIp.aggregate({ where: { subject }, _min: { firstSeenAt: true } }) : null;
  const newSince = now.getTime() - NEW_IP_DAYS * DAY_MS;
  const list = [...days.values()];
  return {
    key: { id: key.id, name: key.name, lastUsedAt: key.lastUsedAt?.toISOString() ?? null },
    subject,
    days: list,
    totals: { calls: list.reduce((n, d) => n + d.success + d.errors, 0), errors: list.reduce((n, d) => n + d.errors, 0) },
    models: [...models.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([modelId, calls]) => ({ modelId, calls })),
    /** Calls by the door they came through (issue 19), 30 days. */
    apis: byApi.map((g) => ({ api: g.api, endpoint: g.endpoint, calls: g._sum.calls ?? 0 })).sort((a, b) => b.calls - a.calls),
    sourceIps: ips.map((ip) => ({
      sourceIp: ip.sourceIp,
      firstSeenAt: ip.firstSeenAt.toISOString(),
      lastSeenAt: ip.lastSeenAt.toISOString(),
      calls: ip.calls,
      isNew: ip.firstSeenAt.getTime() >= newSince && ip.firstSeenAt.getTime() > (firstEver?._min.firstSeenAt?.getTime() ?? Infinity),
    })),
    anomalies: {
      newSourceIps: anomalies.counts.newSourceIps,
      refusedCalls: anomalies.refusedKeys[0]?.calls ?? 0,
      lastRefusedAt: anomalies.refusedKeys[0]?.lastAt ?? null,
      unused: anomalies.unusedKeys !== null && anomalies.unusedKeys.length > 0,
      synced: anomalies.unusedKeys !== null,
    },
  };
}

export type KeyUsage = NonNullable<Awaited<ReturnType<typeof keyUsage>>>;
