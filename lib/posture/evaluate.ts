import type { BedrockCredential } from "@/lib/aws/iam-mapping";
import { managedPolicyArn } from "@/lib/aws/iam-mapping";
import type { AccountUser } from "@/lib/aws/iam-posture-mapping";
import { IAM_USER_PREFIX } from "@/lib/keys/naming";
import { readRestrictions, RESTRICTION_POLICY_NAME } from "@/lib/keys/restriction-policy";
import type { KeyPolicy } from "@/lib/policy/schema";
import { RULE_INFO, type RuleId } from "./rules";

/**
 * The rules, as a pure function of what one account's evaluation read: IAM (credentials, users
 * with their policies, the credential report confirmed per flagged user) and the console's key
 * records (team, last use across every door, restrictions). Unit-testable without AWS.
 */

export interface KeyRecord {
  id: string;
  credentialId: string | null;
  name: string;
  teamId: string | null;
  /** Last use through any door (CloudTrail, all APIs incl. the OpenAI/Anthropic-compatible ones). */
  lastUsedAt: Date | null;
}

export interface UserCredentials {
  accessKeys: number;
  password: boolean;
  mfa: boolean;
}

export interface AccountSnapshot {
  accountId: string | null;
  credentials: BedrockCredential[];
  users: AccountUser[];
  /** Managed policy documents by ARN (attached AWS managed policies). */
  managedDocuments: Map<string, string>;
  /** Current password / MFA / access keys by user name (lower-cased); users absent have none. */
  userCredentials: Map<string, UserCredentials>;
  keysByCredential: Map<string, KeyRecord>;
}

export interface EvalSettings {
  unusedDays: number;
  shortTermOnlyTeams: ReadonlySet<string>;
  keyIamPath: string;
  /** Managed policy names a key's user is expected to have (AmazonBedrockLimitedAccess + ALLOWED_EXTRA_POLICIES). */
  bedrockPolicies: readonly string[];
}

export interface Finding {
  rule: RuleId;
  severity: string;
  fingerprint: string;
  accountId: string | null;
  apiKeyId: string | null;
  iamUserName: string;
  teamId: string | null;
  label: string;
  detail: Record<string, unknown>;
}

const DAY = 86_400_000;

/** A policy a fix may remove: a managed one by ARN, an inline one by name. */
export interface PolicyRef {
  name: string;
  kind: "attached" | "inline";
  arn?: string;
}

type Statement = { Effect?: string; Action?: string | string[]; NotAction?: string | string[] };

function statements(document: string): Statement[] {
  try {
    const parsed = JSON.parse(document) as { Statement?: Statement | Statement[] };
    return parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  } catch {
    return [];
  }
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Why a policy document is over-broad: `*` actions, any IAM action, or an Allow with NotAction. */
export function broadReasons(document: string): string[] {
  const reasons = new Set<string>();
  for (const st of statements(document)) {
    if (st.Effect !== "Allow") continue;
    if (st.NotAction !== undefined) reasons.add("notAction");
    for (const a of asList(st.Action)) {
      if (a === "*") reasons.add("allActions");
      // IAM actions that change or hand out permissions (a pivot from a Bedrock key to the account),
      // or any IAM wildcard. Read-only List/Get ones are not: AWS's own AmazonBedrockLimitedAccess,
      // attached to every Bedrock API key's user, allows iam:ListRoles.
      else if (/^iam:/i.test(a) && !/^iam:(List|Get)[A-Za-z]+$/i.test(a)) reasons.add("iam");
    }
  }
  return [...reasons];
}

function modelsOutsidePolicy(inlineDocs: string[], allowed: readonly string[]): string[] | null {
  if (allowed.length === 0) return null;
  const reading = readRestrictions(inlineDocs);
  if (reading.models === null) return ["*"];
  const ok = new Set(allowed.flatMap((m) => [m, m.replace(/^(us|eu|apac|global)\./, "")]));
  const outside = reading.models.map((m) => m.id).filter((id) => !ok.has(id) && !ok.has(id.replace(/^(us|eu|apac|global)\./, "")));
  return outside.length ? outside : null;
}

/**
 * The age past which a key is "too old": the rotation age (OrgPolicy.rotationDays, issue 16) when
 * it is set and comes first — a key due for rotation is the finding, long before it breaks the
 * maximum key age — else the maximum key age. `basis` tells the page which one it is.
 */
export function ageThreshold(policy: Pick<KeyPolicy, "maxKeyAgeDays" | "rotationDays">): { maxDays: number; basis: "rotation" | "maxAge" } | null {
  const { maxKeyAgeDays: max, rotationDays: rotate } = policy;
  if (rotate !== null && (max === null || rotate < max)) return { maxDays: rotate, basis: "rotation" };
  return max !== null ? { maxDays: max, basis: "maxAge" } : null;
}

export function evaluateAccount(snap: AccountSnapshot, policy: KeyPolicy, settings: EvalSettings, now: Date): Finding[] {
  const out: Finding[] = [];
  const acct = snap.accountId ?? "-";
  const usersByName = new Map(snap.users.map((u) => [u.userName.toLowerCase(), u]));
  const expectedManaged = new Set(settings.bedrockPolicies.map(managedPolicyArn));
  const push = (rule: RuleId, subject: string, base: Omit<Finding, "rule" | "severity" | "fingerprint" | "accountId">) =>
    out.push({ rule, severity: RULE_INFO[rule].severity, fingerprint: `${rule}:${acct}:${subject}`, accountId: snap.accountId, ...base });

  const holders = new Map<string, BedrockCredential[]>();
  for (const c of snap.credentials) {
    const k = c.userName.toLowerCase();
    holders.set(k, [...(holders.get(k) ?? []), c]);
  }

  // Per key.
  for (const c of snap.credentials) {
    // Disabled or expired keys authenticate nothing: disabling is the fix of every key rule.
    if (c.status !== "Active") continue;
    const key = snap.keysByCredential.get(c.credentialId) ?? null;
    const base = { apiKeyId: key?.id ?? null, iamUserName: c.userName, teamId: key?.teamId ?? null, label: key?.name ?? c.userName };
    const subject = `${c.userName}:${c.credentialId}`;
    const ageDays = Math.floor((now.getTime() - c.createdAt.getTime()) / DAY);
    if (!c.expiresAt) push("noExpiry", subject, { ...base, detail: { ageDays } });
    const tooOld = ageThreshold(policy);
    if (tooOld && ageDays > tooOld.maxDays) push("tooOld", subject, { ...base, detail: { ageDays, ...tooOld } });
    // Last use through any door (the usage sync's lastUsedAt), else since the key was made.
    const since = key?.lastUsedAt ?? null;
    const idleDays = Math.floor((now.getTime() - (since ?? c.createdAt).getTime()) / DAY);
    if (idleDays >= settings.unusedDays) push("unused", subject, { ...base, detail: { idleDays, lastUsedAt: since?.toISOString() ?? null, thresholdDays: settings.unusedDays } });
    if (key?.teamId && settings.shortTermOnlyTeams.has(key.teamId)) push("shortTermOnly", subject, { ...base, detail: {} });
    // The org policy, for keys however they were made (the console's own issuance enforces it).
    const reasons: Record<string, unknown> = {};
    if (policy.maxKeyAgeDays !== null) {
      const lifetime = c.expiresAt ? Math.round((c.expiresAt.getTime() - c.createdAt.getTime()) / DAY) : null;
      if (lifetime === null || lifetime > policy.maxKeyAgeDays) reasons.lifetimeDays = lifetime ?? "never";
    }
    const user = usersByName.get(c.userName.toLowerCase());
    const outside = modelsOutsidePolicy(user?.inline.map((p) => p.document) ?? [], policy.allowedModels);
    if (outside) reasons.models = outside;
    if (Object.keys(reasons).length) push("policyViolation", subject, { ...base, detail: { ...reasons, maxDays: policy.maxKeyAgeDays } });
  }

  // Per IAM user holding a key: pivot risk and over-broad policies.
  for (const [k, creds] of holders) {
    const user = usersByName.get(k);
    const first = creds.find((c) => snap.keysByCredential.has(c.credentialId));
    const key = first ? snap.keysByCredential.get(first.credentialId)! : null;
    const userName = user?.userName ?? creds[0]!.userName;
    const base = { apiKeyId: key?.id ?? null, iamUserName: userName, teamId: key?.teamId ?? null, label: key?.name ?? userName };
    const cr = snap.userCredentials.get(k);
    const extraPolicies: PolicyRef[] = [
      ...(user?.attached.filter((p) => !expectedManaged.has(p.arn)).map((p) => ({ name: p.name, kind: "attached" as const, arn: p.arn })) ?? []),
      ...(user?.inline.filter((p) => p.name !== RESTRICTION_POLICY_NAME).map((p) => ({ name: p.name, kind: "inline" as const })) ?? []),
    ];
    const groups = user?.groups ?? [];
    if (cr?.accessKeys || cr?.password || cr?.mfa || extraPolicies.length || groups.length) {
      push("pivot", userName, { ...base, detail: { accessKeys: cr?.accessKeys ?? 0, password: !!cr?.password, mfa: !!cr?.mfa, policies: extraPolicies, groups } });
    }
    for (const p of user?.attached ?? []) {
      const doc = snap.managedDocuments.get(p.arn);
      const why = p.arn === managedPolicyArn("AmazonBedrockFullAccess") ? ["bedrockFullAccess"] : doc ? broadReasons(doc) : [];
      if (why.length) push("overBroad", `${userName}:attached:${p.arn}`, { ...base, detail: { policies: [{ name: p.name, kind: "attached", arn: p.arn }], reasons: why } });
    }
    for (const p of user?.inline ?? []) {
      const why = broadReasons(p.document);
      if (why.length) push("overBroad", `${userName}:inline:${p.name}`, { ...base, detail: { policies: [{ name: p.name, kind: "inline" }], reasons: why } });
    }
  }

  // Users the console or AWS's console made for a key, with no credential of any kind left.
  for (const u of snap.users) {
    const k = u.userName.toLowerCase();
    if (holders.has(k)) continue;
    if (u.path !== settings.keyIamPath && !u.userName.startsWith(IAM_USER_PREFIX)) continue;
    const cr = snap.userCredentials.get(k);
    if (cr?.accessKeys || cr?.password) continue;
    push("orphan", u.userName, { apiKeyId: null, iamUserName: u.userName, teamId: null, label: u.userName, detail: { path: u.path, createdAt: u.createdAt?.toISOString() ?? null } });
  }
  return out;
}

