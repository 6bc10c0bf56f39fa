// scratch (not committed): time the parts of the lead's /usage in-process
import { createPrismaClient } from "@/lib/db/client";
import { loadUsageDashboard } from "@/lib/usage/dashboard";
import { parseUsageFilters } from "@/lib/usage/filters";
import { resolveWhere, usageOverview, listEvents, filterOptions } from "@/lib/usage/queries";
import { findAnomalies, anomalyKeyWhere } from "@/lib/usage/anomalies";
import { costOverview } from "@/lib/cost/queries";

const url = process.argv[2]!;
const range = process.argv[3] ?? "90";
const role = (process.argv[4] ?? "lead") as "lead" | "admin";
const db = createPrismaClient(url);
const viewer = role === "lead" ? { id: "benchlead00000", role: "lead" as const, ledTeamIds: ["benchteam0000", "benchteam0001"] } : { id: "benchadmin00000", role: "admin" as const, ledTeamIds: [] };
const filters = parseUsageFilters({ range }).filters;
const now = new Date();
async function t<T>(name: string, f: () => Promise<T>, n = 7): Promise<T> {
  let r: T; const xs: number[] = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); r = await f(); xs.push(performance.now() - s); }
  xs.sort((a, b) => a - b);
  console.log(`${name.padEnd(28)} median ${xs[Math.floor(n / 2)]!.toFixed(1)} ms  min ${xs[0]!.toFixed(1)}`);
  return r!;
}
const where = await t("resolveWhere", () => resolveWhere(db, viewer, filters, now));
console.log("subjects", where.subjects?.length);
const ov = await t("usageOverview", () => usageOverview(db, where));
await t("listEvents", () => listEvents(db, where, 1, ov.totals.calls));
await t("filterOptions", () => filterOptions(db, viewer, where, ov.models, ["us-east-1"]));
await t("anomalies", () => findAnomalies(db, where.subjects, anomalyKeyWhere(viewer, filters), now));
await t("costOverview", () => costOverview(db, viewer, where));
await t("loadUsageDashboard", () => loadUsageDashboard(db, viewer, filters, now, ["us-east-1"]));
await db.$disconnect();
