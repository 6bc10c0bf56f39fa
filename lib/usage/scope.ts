import type { SessionUser } from "@/lib/auth/session";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { keyReadScope } from "@/lib/keys/scope";
import { issuanceScope } from "@/lib/shortterm/queries";

/**
 * Whose usage a person may see, as a set of subjects (lib/usage/normalize.ts), applied inside
 * every usage query — rollups, events, drill-down, export, anomalies:
 * - admin: everything, including calls the console cannot attribute;
 * - lead: the keys of teams they lead and their own (as keys.read), and the short-term usage of
 *   their teams' members and their own (as shortterm.read);
 * - developer: their own keys and their own short-term usage.
 * Computed from the current keys and issuances, so moving a key to another team moves its
 * history with it.
 */
export type Viewer = Pick<SessionUser, "id" | "role" | "ledTeamIds">;

export type SubjectScope = { all: true } | { all: false; subjects: string[] };

export const EVERYTHING: SubjectScope = { all: true };

export async function usageScope(db: PrismaClient, viewer: Viewer): Promise<SubjectScope> {
  if (viewer.role === "admin") return EVERYTHING;
  if (viewer.role !== "lead" && viewer.role !== "developer") return { all: false, subjects: [] };
  return subjectsOf(db, keyReadScope(viewer), issuanceScope(viewer));
}

/** Subjects of one team: its keys, and its members' short-term usage. */
export async function teamSubjects(db: PrismaClient, teamId: string): Promise<string[]> {
  return (await subjectsByTeam(db, [teamId])).get(teamId) ?? [];
}

/**
 * The (teamId, subject) pairs of some teams, as SQL (the same on SQLite and PostgreSQL) for queries
 * that sum per team in the database (lib/cost/queries.ts): a team's keys (not still issuing) and
 * its members' short-term usage. A person in two teams is in both. The one statement of the rule:
 * subjectsByTeam and teamSubjects read it too.
 */
export function teamSubjectsSql(teamIds: string[]): Prisma.Sql {
  const ids = Prisma.join(teamIds);
  return Prisma.sql`
    SELECT "teamId", 'key:' || "iamUserName" AS "subject" FROM "ApiKey" WHERE "teamId" IN (${ids}) AND "state" <> 'issuing'
    UNION
    SELECT m."teamId", 'identity:' || i."sourceIdentity" AS "subject"
    FROM "ShortTermIssuance" i JOIN "TeamMembership" m ON m."userId" = i."userId" WHERE m."teamId" IN (${ids})`;
}

/**
 * Subjects of several teams at once, by the same rule as teamSubjects (a team's keys; its members'
 * short-term usage): for per-team totals without two queries per team. A person in two teams
 * counts in both.
 */
export async function subjectsByTeam(db: PrismaClient, teamIds: string[]): Promise<Map<string, string[]>> {
  if (teamIds.length === 0) return new Map();
  const out = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  const rows = await db.$queryRaw<{ teamId: string; subject: string }[]>`SELECT "teamId", "subject" FROM (${teamSubjectsSql(teamIds)}) AS "pairs"`;
  for (const r of rows) out.get(r.teamId)?.push(r.subject);
  return out;
}

async function subjectsOf(db: PrismaClient, keys: Prisma.ApiKeyWhereInput, issuances: Prisma.ShortTermIssuanceWhereInput): Promise<SubjectScope> {
  const [keyRows, issued] = await Promise.all([
    db.apiKey.findMany({ where: { AND: [keys, { state: { not: "issuing" } }] }, distinct: ["iamUserName"], select: { iamUserName: true } }),
    db.shortTermIssuance.findMany({ where: issuances, distinct: ["sourceIdentity"], select: { sourceIdentity: true } }),
  ]);
  return { all: false, subjects: [...keyRows.map((k) => `key:${k.iamUserName}`), ...issued.map((i) => `identity:${i.sourceIdentity}`)] };
}

/** Scope ∩ team ∩ one subject; `null` means no restriction (an admin with no subject filter). */
export async function effectiveSubjects(
  db: PrismaClient,
  viewer: Viewer,
  filters: { team?: string | undefined; who?: string | undefined },
): Promise<string[] | null> {
  const scope = await usageScope(db, viewer);
  let subjects: string[] | null = scope.all ? null : scope.subjects;
  if (filters.team) {
    const team = await teamSubjects(db, filters.team);
    subjects = subjects === null ? team : intersect(subjects, team);
  }
  if (filters.who) subjects = subjects === null ? [filters.who] : subjects.filter((s) => s === filters.who);
  return subjects;
}

/** Is one subject within the viewer's scope? (drill-down, key page) */
export async function canSeeSubject(db: PrismaClient, viewer: Viewer, subject: string): Promise<boolean> {
  const scope = await usageScope(db, viewer);
  return scope.all || scope.subjects.includes(subject);
}

function intersect(a: string[], b: string[]): string[] {
  const set = new Set(b);
  return a.filter((s) => set.has(s));
}
