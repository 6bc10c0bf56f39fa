import { containsIgnoringCase } from "@/lib/db/dialect";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { keyReadScope } from "@/lib/keys/scope";
import { issuanceScope } from "@/lib/shortterm/queries";
import { describeSubjects, type SubjectInfo } from "./directory";
import { canSeeSubject, usageScope, type Viewer } from "./scope";

/** How many choices one search answers with: enough to pick from, few enough to ship at once. */
export const SUBJECT_SEARCH_LIMIT = 20;
/** Longest search text taken (a key name or an email is shorter). */
export const SUBJECT_SEARCH_MAX = 100;
/**
 * Keys and people whose name matches, looked up before the subjects are: a bound on the list of
 * candidates (the answer is SUBJECT_SEARCH_LIMIT subjects, most recently seen first, so a wider
 * match only decides which of them come first).
 */
const CANDIDATES = 1_000;

/**
 * The usage filter's "key or person" choices for a search text, instead of every subject in the
 * page (thousands of keys make a page of hundreds of KiB). Only subjects in the viewer's scope
 * (lib/usage/scope.ts, as every usage query) are answered, most recently seen first; the text
 * matches, ignoring case, the key's name or IAM user name, the person's name or email, or the
 * raw principal (for calls the console cannot attribute). An empty text gives the most recent.
 */
export async function searchSubjects(db: PrismaClient, viewer: Viewer, text: string, limit = SUBJECT_SEARCH_LIMIT): Promise<SubjectInfo[]> {
  const q = text.trim().slice(0, SUBJECT_SEARCH_MAX);
  const scope = await usageScope(db, viewer);
  if (!scope.all && scope.subjects.length === 0) return [];
  const inScope: Prisma.UsageSubjectWhereInput = scope.all ? {} : { subject: { in: scope.subjects } };
  let match: Prisma.UsageSubjectWhereInput = {};
  if (q) {
    const like = containsIgnoringCase(db, q);
    // The names live on the key and the person, not on the subject: find those first, within
    // the viewer's key and issuance scope (the subject scope below applies as well).
    const [keys, issued] = await Promise.all([
      db.apiKey.findMany({
        where: { AND: [keyReadScope(viewer), { state: { not: "issuing" } }, { name: like }] },
        orderBy: { lastUsedAt: { sort: "desc", nulls: "last" } },
        select: { iamUserName: true },
        take: CANDIDATES,
      }),
      db.shortTermIssuance.findMany({
        where: { AND: [issuanceScope(viewer), { user: { is: { OR: [{ name: like }, { email: containsIgnoringCase(db, q.toLowerCase()) }] } } }] },
        distinct: ["sourceIdentity"],
        select: { sourceIdentity: true },
        take: CANDIDATES,
      }),
    ]);
    const named = [...keys.map((k) => `key:${k.iamUserName}`), ...issued.map((i) => `identity:${i.sourceIdentity}`)];
    match = { OR: [{ subject: like }, { principalName: like }, ...(named.length ? [{ subject: { in: named } }] : [])] };
  }
  const rows = await db.usageSubject.findMany({
    where: { AND: [inScope, match] },
    orderBy: [{ lastSeenAt: "desc" }, { subject: "asc" }],
    select: { subject: true },
    take: limit,
  });
  const info = await describeSubjects(db, rows.map((r) => r.subject));
  return rows.map((r) => info.get(r.subject)!);
}

/**
 * The name of the subject the page is filtered on, for the filter to show: only when it is in
 * the viewer's scope (otherwise the raw value from the URL, which the viewer typed or was given,
 * and which matches nothing for them).
 */
export async function describeSelected(db: PrismaClient, viewer: Viewer, subject: string | undefined): Promise<SubjectInfo | null> {
  if (!subject) return null;
  if (!(await canSeeSubject(db, viewer, subject))) return null;
  return (await describeSubjects(db, [subject])).get(subject) ?? null;
}
