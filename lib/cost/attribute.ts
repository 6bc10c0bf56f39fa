/**
 * Who an invocation-log record belongs to. The log names the caller only by `identity.arn` (the
 * same ARN CloudTrail shows as userIdentity.arn), so the CloudTrail shape usage attribution reads
 * is rebuilt from the ARN and handed to the same functions: subjectOf (lib/usage/normalize.ts) for
 * the subject string and SubjectResolver (lib/usage/resolve.ts) for the key or person. What the
 * ARN cannot say on its own — whether an IAM user is an API key's user, whether a role session
 * is a console-issued short-term key — is looked up in what the console knows (its keys, its
 * short-term issuances, and the subjects CloudTrail already showed it).
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { IAM_USER_PREFIX } from "@/lib/keys/naming";
import { subjectOf } from "@/lib/usage/normalize";
import { type Resolution, SubjectResolver } from "@/lib/usage/resolve";

/** long-term / short-term API key, or "other": a caller that is not an API key (SigV4 role or user, root). */
export type CostIdentityType = "long-term" | "short-term" | "other";

export interface Attribution extends Resolution {
  subject: string;
  identityType: CostIdentityType;
}

type ParsedArn =
  | { kind: "IAMUser"; name: string }
  | { kind: "AssumedRole"; role: string; session: string }
  | { kind: "other" };

export function parseIdentityArn(arn: string): ParsedArn {
  const user = arn.match(/^arn:aws[\w-]*:iam::\d*:user\/(?:.*\/)?([^/]+)$/);
  if (user) return { kind: "IAMUser", name: user[1]! };
  const session = arn.match(/^arn:aws[\w-]*:sts::\d*:assumed-role\/(?:.*\/)?([^/]+)\/([^/]+)$/);
  if (session) return { kind: "AssumedRole", role: session[1]!, session: session[2]! };
  return { kind: "other" };
}

/** Resolves ARNs in batches for one sync run, caching answers. */
export class ArnAttributor {
  private readonly cache = new Map<string, Attribution>();
  private readonly resolver: SubjectResolver;

  constructor(private readonly db: PrismaClient) {
    this.resolver = new SubjectResolver(db);
  }

  async attribute(arns: Iterable<string>): Promise<Map<string, Attribution>> {
    const missing = [...new Set(arns)].filter((a) => !this.cache.has(a));
    if (missing.length > 0) await this.fill(missing);
    return new Map([...new Set(arns)].map((a) => [a, this.cache.get(a)!]));
  }

  private async fill(arns: string[]) {
    const parsed = new Map(arns.map((a) => [a, parseIdentityArn(a)]));
    const userNames = [...new Set([...parsed.values()].flatMap((p) => (p.kind === "IAMUser" ? [p.name] : [])))];
    const sessions = [...new Set([...parsed.values()].flatMap((p) => (p.kind === "AssumedRole" ? [p.session] : [])))];
    const [keyUsers, issued, seen] = await Promise.all([
      userNames.length ? this.db.apiKey.findMany({ where: { iamUserName: { in: userNames } }, select: { iamUserName: true } }) : [],
      // The console names a short-term key's role session after the person (RoleSessionName = SourceIdentity).
      sessions.length ? this.db.shortTermIssuance.findMany({ where: { sourceIdentity: { in: sessions } }, distinct: ["sourceIdentity"], select: { sourceIdentity: true } }) : [],
      // Subjects CloudTrail already attributed to API keys (bearer-token calls only).
      this.db.usageSubject.findMany({
        where: {
          subject: {
            in: [
              ...userNames.flatMap((n) => [`key:${n}`, `user:${n}`]),
              ...sessions.map((s) => `identity:${s}`),
              ...[...parsed.values()].flatMap((p) => (p.kind === "AssumedRole" ? [`session:${p.role}/${p.session}`] : [])),
            ],
          },
        },
        select: { subject: true },
      }),
    ]);
    const longTermUsers = new Set(keyUsers.map((k) => k.iamUserName));
    const identities = new Set(issued.map((i) => i.sourceIdentity));
    const seenSubjects = new Set(seen.map((s) => s.subject));
    const found = new Map<string, { subject: string; identityType: CostIdentityType }>();
    for (const [arn, p] of parsed) {
      let identityType: CostIdentityType = "other";
      let subject: string;
      if (p.kind === "IAMUser") {
        const longTerm = longTermUsers.has(p.name) || seenSubjects.has(`key:${p.name}`) || p.name.startsWith(IAM_USER_PREFIX);
        subject = subjectOf({ identityType: longTerm ? "long-term" : "short-term", principalName: p.name, principalArn: arn, sourceIdentity: null }, undefined, "IAMUser");
        identityType = longTerm ? "long-term" : seenSubjects.has(subject) ? "short-term" : "other";
      } else if (p.kind === "AssumedRole") {
        const person = identities.has(p.session) || seenSubjects.has(`identity:${p.session}`);
        subject = subjectOf({ identityType: "short-term", principalName: p.session, principalArn: arn, sourceIdentity: person ? p.session : null }, p.role, "AssumedRole");
        identityType = person || seenSubjects.has(subject) ? "short-term" : "other";
      } else {
        subject = subjectOf({ identityType: "short-term", principalName: "", principalArn: arn, sourceIdentity: null });
      }
      found.set(arn, { subject, identityType });
    }
    const resolved = await this.resolver.resolve([...found.values()].map((f) => f.subject));
    for (const [arn, f] of found) {
      const r = resolved.get(f.subject) ?? { apiKeyId: null, userId: null };
      // Subject level, as UsageSubject: a key subject resolves to the key, an identity to the person.
      this.cache.set(arn, { ...f, apiKeyId: f.subject.startsWith("key:") ? r.apiKeyId : null, userId: f.subject.startsWith("key:") ? null : r.userId });
    }
  }
}
