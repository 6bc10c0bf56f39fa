import type { PrismaClient } from "@/lib/generated/prisma/client";
import { subjectKind, subjectName } from "./normalize";

/**
 * Which console record a CloudTrail principal is: a long-term key's IAM user → its ApiKey row; a
 * short-term key's source identity (the console names role sessions after the person) → the
 * person, through the ShortTermIssuance records. Anything else stays unresolved (shown by its
 * AWS name, visible to admins only).
 */
export interface Resolution {
  apiKeyId: string | null;
  userId: string | null;
}

const NONE: Resolution = { apiKeyId: null, userId: null };

/** Resolves subjects in batches, caching answers for one sync run. */
export class SubjectResolver {
  private readonly cache = new Map<string, Resolution>();
  private readonly accessKeys = new Map<string, string | null>();

  constructor(private readonly db: PrismaClient) {}

  async resolve(subjects: Iterable<string>): Promise<Map<string, Resolution>> {
    const missing = [...new Set(subjects)].filter((s) => !this.cache.has(s));
    const userNames = missing.filter((s) => subjectKind(s) === "key").map(subjectName);
    const identities = missing.filter((s) => subjectKind(s) === "identity").map(subjectName);
    if (userNames.length > 0) {
      const keys = await this.db.apiKey.findMany({
        where: { iamUserName: { in: userNames }, state: { not: "issuing" } },
        select: { id: true, iamUserName: true, state: true, awsCreatedAt: true },
      });
      for (const name of userNames) {
        // CloudTrail names the IAM user, not the credential. The console makes one user per key;
        // for a user with two keys, the present and newest one is the best guess.
        const best = keys
          .filter((k) => k.iamUserName === name)
          .sort((a, b) => Number(b.state === "present") - Number(a.state === "present") || (b.awsCreatedAt?.getTime() ?? 0) - (a.awsCreatedAt?.getTime() ?? 0))[0];
        this.cache.set(`key:${name}`, best ? { apiKeyId: best.id, userId: null } : NONE);
      }
    }
    if (identities.length > 0) {
      const issued = await this.db.shortTermIssuance.findMany({
        where: { sourceIdentity: { in: identities } },
        distinct: ["sourceIdentity"],
        select: { sourceIdentity: true, userId: true },
      });
      const byIdentity = new Map(issued.map((i) => [i.sourceIdentity, i.userId]));
      for (const id of identities) this.cache.set(`identity:${id}`, { apiKeyId: null, userId: byIdentity.get(id) ?? null });
    }
    for (const s of missing) if (!this.cache.has(s)) this.cache.set(s, NONE);
    return new Map([...new Set(subjects)].map((s) => [s, this.cache.get(s) ?? NONE]));
  }

  /**
   * The person behind each temporary access key the console issued (exact, per short-term key).
   * Cached for the run like subjects: a trail read asks for the same few keys batch after batch.
   */
  async usersByAccessKey(accessKeyIds: Iterable<string>): Promise<Map<string, string>> {
    const ids = [...new Set(accessKeyIds)];
    const missing = ids.filter((id) => !this.accessKeys.has(id));
    if (missing.length > 0) {
      const rows = await this.db.shortTermIssuance.findMany({ where: { accessKeyId: { in: missing } }, select: { accessKeyId: true, userId: true } });
      const found = new Map(rows.map((r) => [r.accessKeyId, r.userId]));
      for (const id of missing) this.accessKeys.set(id, found.get(id) ?? null);
    }
    const out = new Map<string, string>();
    for (const id of ids) {
      const user = this.accessKeys.get(id);
      if (user) out.set(id, user);
    }
    return out;
  }
}

/**
 * Subjects stored before the console knew their key or person (the inventory found the key
 * later, or the person's issuance arrived after the calls were read) are resolved again after
 * every sync. Their events and the key's "last used" follow. Returns how many were resolved.
 */
export async function reresolveSubjects(db: PrismaClient): Promise<number> {
  const open = await db.usageSubject.findMany({
    where: { apiKeyId: null, userId: null, OR: [{ subject: { startsWith: "key:" } }, { subject: { startsWith: "identity:" } }] },
    select: { subject: true },
  });
  if (open.length === 0) return 0;
  const resolver = new SubjectResolver(db);
  const resolved = await resolver.resolve(open.map((o) => o.subject));
  let count = 0;
  for (const [subject, r] of resolved) {
    if (!r.apiKeyId && !r.userId) continue;
    await db.$transaction([
      db.usageSubject.update({ where: { subject }, data: r }),
      db.usageEvent.updateMany({ where: { subject, apiKeyId: null, userId: null }, data: r }),
    ]);
    count++;
  }
  await reconcileLastUsed(db);
  return count;
}

/** ApiKey.lastUsedAt = the latest call seen for the key's subject, never moving backwards. */
export async function reconcileLastUsed(db: PrismaClient): Promise<void> {
  const subjects = await db.usageSubject.findMany({ where: { apiKeyId: { not: null } }, select: { apiKeyId: true, lastSeenAt: true } });
  const latest = new Map<string, Date>();
  for (const s of subjects) {
    const prev = latest.get(s.apiKeyId!);
    if (!prev || prev < s.lastSeenAt) latest.set(s.apiKeyId!, s.lastSeenAt);
  }
  const ids = [...latest.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const keys = await db.apiKey.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: { id: true, lastUsedAt: true } });
    for (const key of keys) {
      const at = latest.get(key.id)!;
      if (key.lastUsedAt && key.lastUsedAt >= at) continue;
      // Conditional: a page committed meanwhile may already have moved it further.
      await db.apiKey.updateMany({ where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } });
    }
  }
}
