/**
 * Seeds the demo database: four users (admin, lead, two developers) sharing one demo password, and
 * two teams. Only ever touches a demo database: it needs SEED_DEMO=1, and refuses a database that
 * holds any user outside @demo.local (i.e. a real installation).
 * Usage: SEED_DEMO=1 DATABASE_URL=file:./data/demo.db tsx scripts/seed-demo.ts
 * Keys, requests and traffic for these people: scripts/seed-demo-data.ts (run by `npm run demo`).
 */
import { appendAudit } from "@/lib/audit/service";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient } from "@/lib/db/client";
import { assertDemoDatabase, DEMO_PASSWORD_DEFAULT, DEMO_TEAMS, DEMO_USERS, NotADemoDatabase, seedDemoAccounts } from "./demo/accounts";

async function main() {
  if (process.env.SEED_DEMO !== "1") {
    console.error("Refusing to seed: set SEED_DEMO=1 to confirm this is a demo database.");
    process.exit(2);
  }
  const databaseUrl = process.env.DATABASE_URL ?? "file:./data/demo.db";
  const db = createPrismaClient(databaseUrl);
  try {
    await assertDemoDatabase(db, databaseUrl);
    const password = process.env.DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
    await seedDemoAccounts(db, await hashPassword(password));
    await appendAudit(db, { action: "demo.seed", result: "success", details: { users: DEMO_USERS.length, teams: DEMO_TEAMS.length } });
    console.log(`Seeded demo users (${DEMO_USERS.map((u) => u.email).join(", ")}) and teams (${DEMO_TEAMS.map((t) => t.name).join(", ")}).`);
  } catch (error) {
    if (!(error instanceof NotADemoDatabase)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  } finally {
    await db.$disconnect();
  }
}

await main();
