import { createPrismaClient } from "@/lib/db/client";
import { parseUsageFilters } from "@/lib/usage/filters";
import { resolveWhere } from "@/lib/usage/queries";
import { costOverview } from "@/lib/cost/queries";
const [url, range, role] = [process.argv[2]!, process.argv[3] ?? "90", process.argv[4] ?? "admin"];
const db = createPrismaClient(url);
const viewer = role === "lead" ? { id: "benchlead00000", role: "lead" as const, ledTeamIds: ["benchteam0000", "benchteam0001"] } : { id: "benchadmin00000", role: "admin" as const, ledTeamIds: [] };
const where = await resolveWhere(db, viewer, parseUsageFilters({ range }).filters, new Date());
const xs: number[] = [];
for (let i = 0; i < 15; i++) { const s = performance.now(); await costOverview(db, viewer, where); xs.push(performance.now() - s); }
xs.sort((a, b) => a - b);
console.log(`${process.argv[5] ?? ""} ${url.slice(0, 10)} ${role} ${range}d costOverview p50 ${xs[7]!.toFixed(1)} min ${xs[0]!.toFixed(1)}`);
await db.$disconnect();
