import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb } from "@/lib/testing/test-db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditCsvExport, auditExportFilename } from "./export";
import { auditWhere } from "./queries";
import { appendAudit } from "./service";

let db: PrismaClient;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterEach(async () => {
  await cleanup();
});

const admin = { id: "admin1", role: "admin" as const, ledTeamIds: [] };
const lead = { id: "lead1", role: "lead" as const, ledTeamIds: ["teamA"] };

function lines(csv: string) {
  return csv.replace(/^\uFEFF/, "").trim().split("\r\n");
}

describe("auditCsvExport", () => {
  it("quotes ;-separated cells and neutralises formulas (CSV injection in ; locales)", async () => {
    await appendAudit(db, { action: "keys.create", result: "success", actorEmail: "ann@example.test", targetLabel: "x;=cmd|' /C calc'!A0", userAgent: "@SUM(1)" });
    const csv = await new Response(await auditCsvExport(db, auditWhere(admin, {}))).text();
    expect(csv).toContain(`,"x;=cmd|' /C calc'!A0",`);
    expect(csv).toContain(`,"'@SUM(1)",`);
  });

  it("exports every matching entry oldest first, in batches, with hostile values neutralised", async () => {
    for (let i = 1; i <= 12; i++) {
      await appendAudit(db, { action: "users.update", result: "success", actorEmail: "ann@example.test", targetLabel: `user ${i}`, details: { i } });
    }
    await appendAudit(db, { action: "users.create", result: "failure", actorEmail: "eve@example.test", targetLabel: '=HYPERLINK("http://x","y")', userAgent: "curl, 8\nnext" });

    const csv = await new Response(await auditCsvExport(db, auditWhere(admin, {}), { batchSize: 5 })).text();
    const rows = lines(csv);
    expect(rows[0]).toBe("id,time_utc,actor_email,actor_id,action,target_type,target_id,target_label,team_id,result,ip,user_agent,details,hash");
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csv).toContain('"curl, 8\nnext"');
    const ids = csv.match(/^\d+(?=,)/gm)!.map(Number);
    expect(ids).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  it("applies the caller's scope and filters", async () => {
    await appendAudit(db, { action: "keys.disable", result: "success", actorId: "x", teamId: "teamA", targetLabel: "in-scope" });
    await appendAudit(db, { action: "keys.disable", result: "success", actorId: "x", teamId: "teamB", targetLabel: "other-team" });
    await appendAudit(db, { action: "auth.sign_in", result: "success", actorId: "lead1", targetLabel: "own-action" });

    const csv = await new Response(await auditCsvExport(db, auditWhere(lead, {}))).text();
    expect(csv).toContain("in-scope");
    expect(csv).toContain("own-action");
    expect(csv).not.toContain("other-team");

    const filtered = await new Response(await auditCsvExport(db, auditWhere(lead, { action: "keys." }))).text();
    expect(lines(filtered)).toHaveLength(2);
  });

  it("leaves out entries appended after the export started", async () => {
    await appendAudit(db, { action: "a.first", result: "success" });
    const stream = await auditCsvExport(db, auditWhere(admin, {}));
    await appendAudit(db, { action: "audit.export", result: "success" });
    const csv = await new Response(stream).text();
    expect(csv).toContain("a.first");
    expect(csv).not.toContain("audit.export");
  });

  it("names the file after the UTC date", () => {
    expect(auditExportFilename(new Date("2026-03-04T23:59:00Z"))).toBe("audit-log-2026-03-04.csv");
  });
});
