import type { PrismaClient } from "@/lib/generated/prisma/client";
import { subjectKind, subjectName } from "./normalize";
import { SubjectResolver } from "./resolve";

/** How the dashboard names a subject: the key, the person, or (unattributed) the AWS principal. */
export interface SubjectInfo {
  subject: string;
  kind: "key" | "person" | "other";
  label: string;
  /** IAM user name of a key, email of a person, the AWS name otherwise. */
  detail: string;
  keyId: string | null;
  userId: string | null;
  team: string | null;
}

/** Labels for subjects, resolved against the current keys and people (a renamed key shows its new name). */
export async function describeSubjects(db: PrismaClient, subjects: Iterable<string>): Promise<Map<string, SubjectInfo>> {
  const list = [...new Set(subjects)];
  const resolved = await new SubjectResolver(db).resolve(list);
  const keyIds = [...resolved.values()].flatMap((r) => (r.apiKeyId ? [r.apiKeyId] : []));
  const userIds = [...resolved.values()].flatMap((r) => (r.userId ? [r.userId] : []));
  const [keys, users] = await Promise.all([
    keyIds.length ? db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true, iamUserName: true, team: { select: { name: true } } } }) : [],
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true, memberships: { select: { team: { select: { name: true } } }, take: 1 } } })
      : [],
  ]);
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const userById = new Map(users.map((u) => [u.id, u]));
  const out = new Map<string, SubjectInfo>();
  for (const subject of list) {
    const r = resolved.get(subject);
    const key = r?.apiKeyId ? keyById.get(r.apiKeyId) : undefined;
    const user = r?.userId ? userById.get(r.userId) : undefined;
    if (key) {
      out.set(subject, { subject, kind: "key", label: key.name, detail: key.iamUserName, keyId: key.id, userId: null, team: key.team?.name ?? null });
    } else if (user) {
      out.set(subject, { subject, kind: "person", label: user.name, detail: user.email, keyId: null, userId: user.id, team: user.memberships[0]?.team.name ?? null });
    } else {
      out.set(subject, { subject, kind: subjectKind(subject) === "key" ? "key" : "other", label: subjectName(subject), detail: subject, keyId: null, userId: null, team: null });
    }
  }
  return out;
}
