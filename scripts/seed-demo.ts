/**
 * Seeds the demo database: three users (admin, lead, developer) sharing one demo password, and two
 * teams. Only ever touches a demo database: it needs SEED_DEMO=1, and refuses a database that holds
 * any user outside @demo.local (i.e. a real installation).
 * Usage: SEED_DEMO=1 DATABASE_URL=file:./data/demo.db tsx scripts/seed-demo.ts
 */
import { appendAudit } from "@/lib/audit/service";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient } from "@/lib/db/client";

export const DEMO_PASSWORD_DEFAULT = "demo-password";
export const DEMO_DOMAIN = "@demo.local";

const TEAMS = [
  { name: "Payments", description: "Checkout, billing and fraud models" },
  { name: "Research", description: "Prototypes and model evaluation" },
];

const USERS = [
  { email: `admin${DEMO_DOMAIN}`, name: "Ada Admin", role: "admin", teams: [] as { team: string; isLead: boolean }[] },
  { email: `lead${DEMO_DOMAIN}`, name: "Lee Lead", role: "lead", teams: [{ team: "Payments", isLead: true }] },
  { email: `dev${DEMO_DOMAIN}`, name: "Dana Developer", role: "developer", teams: [{ team: "Payments", isLead: false }] },
  { email: `researcher${DEMO_DOMAIN}`, name: "Riku Researcher", role: "developer", teams: [{ team: "Research", isLead: false }] },
];

async function main() {
  if (process.env.SEED_DEMO !== "1") {
    console.error("Refusing to seed: set SEED_DEMO=1 to confirm this is a demo database.");
    process.exit(2);
  }
  const databaseUrl = process.env.DATABASE_URL ?? "file:./data/demo.db";
  const db = createPrismaClient(databaseUrl);
  try {
    const foreign = await db.user.count({ where: { NOT: { email: { endsWith: DEMO_DOMAIN } } } });
    if (foreign > 0) {
      console.error(`Refusing to seed ${databaseUrl}: it has ${foreign} non-demo user(s). Demo seeding only touches demo databases.`);
      process.exit(2);
    }
    const password = process.env.DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
    const passwordHash = await hashPassword(password);
    const teamIds = new Map<string, string>();
    for (const team of TEAMS) {
      const row = await db.team.upsert({ where: { name: team.name }, create: team, update: {}, select: { id: true } });
      teamIds.set(team.name, row.id);
    }
    for (const u of USERS) {
      const user = await db.user.upsert({
        where: { email: u.email },
        create: { email: u.email, name: u.name, role: u.role, passwordHash },
        update: { name: u.name, role: u.role, passwordHash, active: true },
        select: { id: true },
      });
      for (const m of u.teams) {
        const teamId = teamIds.get(m.team)!;
        await db.teamMembership.upsert({
          where: { userId_teamId: { userId: user.id, teamId } },
          create: { userId: user.id, teamId, isLead: m.isLead },
          update: { isLead: m.isLead },
        });
      }
    }
    await appendAudit(db, { action: "demo.seed", result: "success", details: { users: USERS.length, teams: TEAMS.length } });
    console.log(`Seeded demo users (${USERS.map((u) => u.email).join(", ")}) and teams (${TEAMS.map((t) => t.name).join(", ")}).`);
  } finally {
    await db.$disconnect();
  }
}

await main();
