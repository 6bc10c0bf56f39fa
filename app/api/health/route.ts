import { NextResponse, type NextRequest } from "next/server";
import { awsClients } from "@/lib/aws/clients";
import { getCallerIdentity } from "@/lib/aws/sts";
import { db } from "@/lib/db";
import { healthReport } from "@/lib/ops/health";

// Unauthenticated on purpose (load balancers, orchestrators, monitoring); the report holds no
// secrets, hosts or identifiers. Never cached. See docs/operations.md.
//   /api/health        the report; 200 when the database answers and its migrations are current
//                      (AWS trouble shows as "degraded", still 200), else 503
//   /api/health?ready  readiness: as above, and 503 while the instance shuts down (SIGTERM)
//   /api/health?live   liveness: 200 whenever the process answers; checks nothing
export const dynamic = "force-dynamic";

const headers = { "Cache-Control": "no-store" };

export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  if (params.has("live")) return NextResponse.json({ status: "alive" }, { headers });
  const report = await healthReport({
    db: db(),
    awsProbe: () => getCallerIdentity(awsClients().sts),
    root: process.cwd(),
  });
  const ok = params.has("ready") ? report.ready : report.status !== "fail";
  return NextResponse.json(report, { status: ok ? 200 : 503, headers });
}
