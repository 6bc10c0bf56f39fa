import { createPrismaClient } from "@/lib/db/client";
import { parseUsageFilters } from "@/lib/usage/filters";
import { resolveWhere } from "@/lib/usage/queries";
import { subjectSums, costAsOf } from "@/lib/cost/queries";
import { subjectsByTeam } from "@/lib/usage/scope";
const url = process.argv[2]!; const range = process.argv[3] ?? "90"; const role = (process.argv[4] ?? "lead") as "lead" | "admin";
const db = createPrismaClient(url);
const viewer = role === "lead" ? { id: "benchlead00000", role: "lead" as const, ledTeamIds: ["benchteam0000", "benchteam0001"] } : { id: "benchadmin00000", role: "admin" as const, ledTeamIds: [] };
const filters = parseUsageFilters({ range }).filters;
async function t<T>(name: string, f: () => Promise<T>, n = 7): Promise<T> {
  let r: T; const xs: number[] = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); r = await f(); xs.push(performance.now() - s); }
  xs.sort((a, b) => a - b); console.log(`${name.padEnd(28)} median ${xs[Math.floor(n / 2)]!.toFixed(1)} ms  min ${xs[0]!.toFixed(1)}`); return r!;
}
const where = await resolveWhere(db, viewer, filters, new Date());
await t("costAsOf", () => costAsOf(db));
const m = await t("subjectSums", () => subjectSums(db, { fromDay: where.range.fromDay, toDay: where.range.toDay, subjects: where.subjects }));
console.log("subjects", m.size);
const teams = role === "admin" ? (await db.team.findMany({ select: { id: true } })).map((t) => t.id) : viewer.ledTeamIds;
await t("subjectsByTeam", () => subjectsByTeam(db, teams));
await t("costDaily byDayModel", () => where.subjects === null ? db.costDailyModel.groupBy({ by: ["day", "modelId"], where: { day: { gte: where.range.fromDay, lte: where.range.toDay } }, _sum: { calls: true, costUsd: true, unpricedCalls: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true } }) : db.costDaily.groupBy({ by: ["day", "modelId"], where: { day: { gte: where.range.fromDay, lte: where.range.toDay }, subject: { in: where.subjects } }, _sum: { calls: true, costUsd: true, unpricedCalls: true, inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true } }));
await db.$disconnect();
