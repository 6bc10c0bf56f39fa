/**
 * Test helper process: one "console instance" appending audit entries. Connects, prints
 * "ready", waits for a line on stdin (so several processes start writing at the same moment),
 * then appends COUNT entries all at once and prints "done <n>".
 *   tsx tests/support/audit-writer.ts <DATABASE_URL> <COUNT> <label>
 */
import { createInterface } from "node:readline";
import { appendAudit } from "@/lib/audit/service";
import { createPrismaClient } from "@/lib/db/client";

const [url, countArg, label = "writer"] = process.argv.slice(2);
const count = Number(countArg);
const db = createPrismaClient(url!, { poolSize: 10 });
await db.$queryRaw`SELECT 1`;
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
const results = await Promise.allSettled(
  Array.from({ length: count }, (_, i) => appendAudit(db, { action: "test.instance", result: "success", actorEmail: `${label}@example.com`, details: { label, i } })),
);
const failed = results.filter((r) => r.status === "rejected");
for (const f of failed.slice(0, 3)) console.error(String((f as PromiseRejectedResult).reason));
process.stdout.write(`done ${results.length - failed.length}\n`);
lines.close();
await db.$disconnect();
process.exit(failed.length ? 1 : 0);
