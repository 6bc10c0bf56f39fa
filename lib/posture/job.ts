import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { accountFailure, recordAccountResult } from "@/lib/accounts/service";
import { appendAudit } from "@/lib/audit/service";
import { AwsServiceError } from "@/lib/aws/errors";
import { listBedrockCredentials } from "@/lib/aws/iam";
import { BEDROCK_LIMITED_ACCESS } from "@/lib/aws/iam-mapping";
import { getAuthorizationDetails, getCredentialReport, noCalls, type PostureCalls, readUserCredentials } from "@/lib/aws/iam-posture";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { refreshTargets, type Target } from "@/lib/keys/inventory-job";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { getPolicy, policyForAccount } from "@/lib/policy/service";
import { type AccountSnapshot, evaluateAccount, type Finding, type KeyRecord, type UserCredentials } from "./evaluate";
import { runRemediation, type RemediationSummary } from "./remediate";
import { getPostureSettings, type PostureSettings } from "./settings";
import { dayOf } from "./trend";
import type { PostureDeps } from "./types";

export const POSTURE_LEASE = "posture-evaluation";
const LEASE_TTL_MS = 15 * 60_000;
const HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const CHUNK = 500;
/** Users confirmed at once (only the few the credential report flags). */
const CONFIRMERS = 4;
const ACCOUNT_CONCURRENCY = 4;


/**
 * Read one account with batch calls (docs/posture.md): ⌈keys/1000⌉ ListServiceSpecificCredentials,
 * ⌈users/1000⌉ GetAccountAuthorizationDetails, one credential report, and — when IAM handed back a
 * report generated earlier — per-user reads only for the key holders and orphan candidates it flags.
 */
async function snapshotAccount(deps: PostureDeps, target: Target, calls: PostureCalls): Promise<AccountSnapshot> {
  const now = deps.now();
  const listed = await listBedrockCredentials(target.iam, now);
  calls.ListServiceSpecificCredentials += listed.calls;
  const details = await getAuthorizationDetails(target.iam, calls);
  const report = await getCredentialReport(target.iam, calls);

  const holders = new Set(listed.items.map((c) => c.userName.toLowerCase()));
  const relevant = new Set(holders);
  for (const u of details.users) if (u.path === deps.keyIamPath || u.userName.startsWith("BedrockAPIKey-")) relevant.add(u.userName.toLowerCase());
  const flagged = report.rows.filter((r) => relevant.has(r.user.toLowerCase()) && (r.accessKeys > 0 || r.passwordEnabled || r.mfaActive));
  const userCredentials = new Map<string, UserCredentials>();
  if (report.fresh) {
    for (const r of flagged) userCredentials.set(r.user.toLowerCase(), { accessKeys: r.accessKeys, password: r.passwordEnabled, mfa: r.mfaActive });
    flagged.length = 0;
  }
  let next = 0;
  const confirm = async () => {
    while (next < flagged.length) {
      const r = flagged[next++]!;
      const live = await readUserCredentials(target.iam, r.user, { keys: r.accessKeys > 0, password: r.passwordEnabled, mfa: r.mfaActive }, calls);
      if (live) userCredentials.set(r.user.toLowerCase(), { accessKeys: live.accessKeyIds.length, password: live.hasPassword, mfa: live.mfaSerials.length > 0 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONFIRMERS, flagged.length) }, confirm));

  const keysByCredential = new Map<string, KeyRecord>();
  const ids = listed.items.map((c) => c.credentialId);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await deps.db.apiKey.findMany({
      where: { credentialId: { in: ids.slice(i, i + CHUNK) } },
      select: { id: true, credentialId: true, name: true, teamId: true, lastUsedAt: true },
    });
    for (const r of rows) keysByCredential.set(r.credentialId!, r);
  }
  return { accountId: target.account?.id ?? null, credentials: listed.items, users: details.users, managedDocuments: details.managedDocuments, userCredentials, keysByCredential };
}

export interface EvaluationOutcome {
  status: "done";
  evaluationId: number;
  findings: number;
  byRule: Record<string, number>;
  calls: PostureCalls;
  totalCalls: number;
  durationMs: number;
  failedAccounts: { id: string; name: string; code: string }[];
  remediation: RemediationSummary | null;
}

/**
 * One evaluation at a time across requests, schedules and instances (a database lease). Stores the
 * findings (replacing those of the accounts it read; a failed account keeps its last findings),
 * the day's trend row, then runs the opt-in remediation.
 */
export async function runPostureEvaluation(deps: PostureDeps, trigger: "manual" | "schedule"): Promise<EvaluationOutcome | { status: "busy" }> {
  const started = deps.now();
  if (!(await acquireLease(deps.db, POSTURE_LEASE, HOLDER, LEASE_TTL_MS, started))) return { status: "busy" };
  const run = await deps.db.postureEvaluation.create({ data: { trigger, startedAt: started }, select: { id: true } });
  const calls = noCalls();
  try {
    const settings = await getPostureSettings(deps.db);
    const basePolicy = await getPolicy(deps.db, deps.allowedExtraPolicies);
    const list = await refreshTargets(deps);
    const findings: Finding[] = [];
    const evaluated: (string | null)[] = [];
    const failed: { id: string; name: string; code: string; error: unknown }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const t = list[next++]!;
        try {
          const snap = await snapshotAccount(deps, t, calls);
          const policy = await policyForAccount(deps.db, basePolicy, t.account?.id ?? null);
          findings.push(
            ...evaluateAccount(snap, policy, {
              unusedDays: settings.unusedDays,
              shortTermOnlyTeams: new Set(settings.shortTermOnlyTeams),
              keyIamPath: deps.keyIamPath,
              bedrockPolicies: [BEDROCK_LIMITED_ACCESS, ...deps.allowedExtraPolicies],
            }, deps.now()),
          );
          evaluated.push(t.account?.id ?? null);
          if (t.account) await recordAccountResult(deps.db, t.account.id, deps.now(), null);
        } catch (error) {
          if (!t.account) throw error;
          const f = accountFailure(error);
          failed.push({ id: t.account.id, name: t.name, code: f.code, error });
          await recordAccountResult(deps.db, t.account.id, deps.now(), f);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ACCOUNT_CONCURRENCY, list.length) }, worker));
    if (list.length > 0 && failed.length === list.length) throw failed[0]!.error;

    const finished = deps.now();
    await storeFindings(deps.db, findings, evaluated, finished);
    await snapshotDay(deps.db, finished);
    const remediation = settings.autoDisableUnused || settings.autoDeleteOrphans ? await runRemediation(deps, remediationRules(settings), { dryRun: false, trigger }) : null;
    const byRule: Record<string, number> = {};
    for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);
    await deps.db.postureEvaluation.update({
      where: { id: run.id },
      data: {
        finishedAt: deps.now(),
        result: failed.length ? "partial" : "success",
        ...(failed.length ? { error: failed.map((f) => `${f.id}:${f.code}`).join(",").slice(0, 500) } : {}),
        findings: findings.length,
        iamCalls: JSON.stringify(calls),
        totalCalls,
        remediation: JSON.stringify(remediation ?? {}),
      },
    });
    const outcome: EvaluationOutcome = {
      status: "done",
      evaluationId: run.id,
      findings: findings.length,
      byRule,
      calls,
      totalCalls,
      durationMs: deps.now().getTime() - started.getTime(),
      failedAccounts: failed.map(({ id, name, code }) => ({ id, name, code })),
      remediation,
    };
    if (trigger === "schedule") await auditScheduled(deps.db, "success", auditSummary(outcome));
    return outcome;
  } catch (error) {
    const code = error instanceof AwsServiceError ? error.awsCode : error instanceof Error ? error.name : "unknown";
    await deps.db.postureEvaluation.update({ where: { id: run.id }, data: { finishedAt: deps.now(), result: "failure", error: code, iamCalls: JSON.stringify(calls) } });
    if (trigger === "schedule") await auditScheduled(deps.db, "failure", { evaluationId: run.id, error: code });
    throw error;
  } finally {
    await releaseLease(deps.db, POSTURE_LEASE, HOLDER);
  }
}

export function remediationRules(s: PostureSettings) {
  return { disableUnused: s.autoDisableUnused, deleteOrphans: s.autoDeleteOrphans, orphanGraceDays: s.orphanGraceDays };
}

export function auditSummary(o: EvaluationOutcome) {
  return {
    evaluationId: o.evaluationId,
    findings: o.findings,
    byRule: o.byRule,
    iamCalls: o.totalCalls,
    durationMs: o.durationMs,
    ...(o.failedAccounts.length ? { failedAccounts: o.failedAccounts.map((f) => `${f.id}:${f.code}`) } : {}),
    ...(o.remediation ? { remediation: { disabled: o.remediation.disabled, deletedUsers: o.remediation.deletedUsers, failed: o.remediation.failed } } : {}),
  };
}

async function auditScheduled(db: PrismaClient, result: "success" | "failure", details: Record<string, unknown>) {
  await appendAudit(db, { action: "posture.evaluate", result, actorEmail: "system", targetType: "posture", details: { trigger: "schedule", ...details } });
}

/**
 * Replace the findings of the accounts just read, keeping each one's first-seen time (the
 * orphan grace period counts from it). One transaction, so the page never sees half a result.
 */
async function storeFindings(db: PrismaClient, findings: Finding[], accounts: (string | null)[], now: Date) {
  const where = { OR: accounts.map((a) => ({ accountId: a })) };
  if (accounts.length === 0) return;
  const before = new Map((await db.postureFinding.findMany({ where, select: { fingerprint: true, firstSeenAt: true } })).map((f) => [f.fingerprint, f.firstSeenAt]));
  const rows = findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    fingerprint: f.fingerprint,
    accountId: f.accountId,
    apiKeyId: f.apiKeyId,
    iamUserName: f.iamUserName,
    teamId: f.teamId,
    label: f.label,
    detail: JSON.stringify(f.detail),
    firstSeenAt: before.get(f.fingerprint) ?? now,
    lastSeenAt: now,
  }));
  await db.$transaction(
    async (tx) => {
      await tx.postureFinding.deleteMany({ where });
      for (let i = 0; i < rows.length; i += CHUNK) await tx.postureFinding.createMany({ data: rows.slice(i, i + CHUNK) });
    },
    { timeout: 120_000 },
  );
}

/** The day's trend row per rule and team: open findings (risks accepted and in force not counted). */
export async function snapshotDay(db: PrismaClient, now: Date) {
  const day = dayOf(now);
  const accepted = new Set((await db.postureAcceptance.findMany({ where: { expiresAt: { gt: now } }, select: { fingerprint: true } })).map((a) => a.fingerprint));
  const counts = new Map<string, number>();
  const all = await db.postureFinding.findMany({ select: { rule: true, teamId: true, fingerprint: true } });
  for (const f of all) {
    if (accepted.has(f.fingerprint)) continue;
    const k = `${f.rule}\u0000${f.teamId ?? ""}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  await db.$transaction([
    db.postureDaily.deleteMany({ where: { day } }),
    db.postureDaily.createMany({ data: [...counts].map(([k, count]) => ({ day, rule: k.split("\u0000")[0]!, teamId: k.split("\u0000")[1]!, count })) }),
  ]);
}
