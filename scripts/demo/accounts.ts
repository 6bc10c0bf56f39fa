/**
 * The demo's people and teams (scripts/seed-demo.ts creates them; scripts/demo/seed-data.ts gives
 * them keys, requests and traffic). Only ever touches a demo database: `assertDemoDatabase`
 * refuses one that holds any user outside @demo.local, i.e. a real installation.
 */
import type { PrismaClient } from "@/lib/db/client";

export const DEMO_PASSWORD_DEFAULT = "demo-password";
export const DEMO_DOMAIN = "@demo.local";

export const DEMO_TEAMS = [
  { name: "Payments", description: "Checkout, billing and fraud models" },
  { name: "Research", description: "Prototypes and model evaluation" },
] as const;

export const DEMO_USERS = [
  { email: `admin${DEMO_DOMAIN}`, name: "Ada Admin", role: "admin", teams: [] as { team: string; isLead: boolean }[] },
  { email: `lead${DEMO_DOMAIN}`, name: "Lee Lead", role: "lead", teams: [{ team: "Payments", isLead: true }] },
  { email: `dev${DEMO_DOMAIN}`, name: "Dana Developer", role: "developer", teams: [{ team: "Payments", isLead: false }] },
  { email: `researcher${DEMO_DOMAIN}`, name: "Riku Researcher", role: "developer", teams: [{ team: "Research", isLead: false }] },
] as const;

export class NotADemoDatabase extends Error {}

/** Throws when the database has users outside @demo.local: demo seeding never touches a real installation. */
export async function assertDemoDatabase(db: PrismaClient, label: string): Promise<void> {
  const foreign = await db.user.count({ where: { NOT: { email: { endsWith: DEMO_DOMAIN } } } });
  if (foreign > 0) {
    throw new NotADemoDatabase(`Refusing to seed ${label}: it has ${foreign} non-demo user(s). Demo seeding only touches demo databases.`);
  }
}

/** Creates (or refreshes) the demo teams and users, all with the one demo password hash. */
export async function seedDemoAccounts(db: PrismaClient, passwordHash: string): Promise<void> {
  const teamIds = new Map<string, string>();
  for (const team of DEMO_TEAMS) {
    const row = await db.team.upsert({ where: { name: team.name }, create: { ...team }, update: {}, select: { id: true } });
    teamIds.set(team.name, row.id);
  }
  for (const u of DEMO_USERS) {
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
}
