import { appendAudit } from "@/lib/audit/service";
import { ActionError } from "@/lib/actions/errors";
import { recordCleanup, retryCleanup } from "@/lib/keys/cleanup";
import { setKeyStatus } from "@/lib/keys/lifecycle";
import { KEY_TARGET, type AuditSink, type KeyActor, type KeyDeps } from "@/lib/keys/types";
import type { PostureDeps } from "./types";

/**
 * Opt-in automatic remediation, run after each scheduled evaluation: disable keys the "unused"
 * rule found, delete IAM users the "orphan" rule has found for longer than the grace period. Each
 * change goes through the same lifecycle function a person's click uses (locks, IAM, record) and
 * is audited as a system action. A dry run lists the same plan and changes nothing.
 */

export interface RemediationRules {
  disableUnused: boolean;
  deleteOrphans: boolean;
  orphanGraceDays: number;
}

export interface PlannedChange {
  kind: "disableKey" | "deleteUser";
  findingId: string;
  fingerprint: string;
  apiKeyId: string | null;
  iamUserName: string;
  accountId: string | null;
  label: string;
  teamId: string | null;
}

export interface RemediationSummary {
  dryRun: boolean;
  planned: PlannedChange[];
  disabled: number;
  deletedUsers: number;
  failed: number;
}

/** The system, as the actor of scheduled changes: admin scope, no person. */
const SYSTEM: KeyActor = { id: "system", email: "system", role: "admin", teamIds: [], ledTeamIds: [] };

const DAY = 86_400_000;

export async function planRemediation(deps: Pick<KeyDeps, "db" | "now">, rules: RemediationRules): Promise<PlannedChange[]> {
  const now = deps.now();
  // A risk someone accepted (and not yet expired) is left alone.
  const accepted = new Set((await deps.db.postureAcceptance.findMany({ where: { expiresAt: { gt: now } }, select: { fingerprint: true } })).map((a) => a.fingerprint));
  const plan: PlannedChange[] = [];
  const select = { id: true, fingerprint: true, apiKeyId: true, iamUserName: true, accountId: true, label: true, teamId: true } as const;
  if (rules.disableUnused) {
    const rows = await deps.db.postureFinding.findMany({ where: { rule: "unused", apiKeyId: { not: null } }, select, orderBy: { label: "asc" } });
    const active = new Set(
      (await deps.db.apiKey.findMany({ where: { id: { in: rows.map((r) => r.apiKeyId!) }, status: "Active", state: "present" }, select: { id: true } })).map((k) => k.id),
    );
    for (const r of rows) if (active.has(r.apiKeyId!) && !accepted.has(r.fingerprint)) plan.push({ kind: "disableKey", findingId: r.id, ...strip(r) });
  }
  if (rules.deleteOrphans) {
    const cutoff = new Date(now.getTime() - rules.orphanGraceDays * DAY);
    const rows = await deps.db.postureFinding.findMany({ where: { rule: "orphan", firstSeenAt: { lte: cutoff } }, select, orderBy: { label: "asc" } });
    for (const r of rows) if (!accepted.has(r.fingerprint)) plan.push({ kind: "deleteUser", findingId: r.id, ...strip(r) });
  }
  return plan;
}

function strip(r: { fingerprint: string; apiKeyId: string | null; iamUserName: string; accountId: string | null; label: string; teamId: string | null }) {
  return { fingerprint: r.fingerprint, apiKeyId: r.apiKeyId, iamUserName: r.iamUserName, accountId: r.accountId, label: r.label, teamId: r.teamId };
}

export async function runRemediation(deps: PostureDeps, rules: RemediationRules, opts: { dryRun: boolean; trigger: "manual" | "schedule"; actorEmail?: string }): Promise<RemediationSummary> {
  const planned = await planRemediation(deps, rules);
  const summary: RemediationSummary = { dryRun: opts.dryRun, planned, disabled: 0, deletedUsers: 0, failed: 0 };
  if (opts.dryRun) return summary;
  // Disabling and clean-ups never use the region (it is for reveal snippets).
  const keyDeps: KeyDeps = { region: "", ...deps };
  for (const change of planned) {
    const details: Record<string, unknown> = { trigger: opts.trigger, rule: change.kind === "disableKey" ? "unused" : "orphan", change: change.kind };
    const sink: AuditSink = { target() {}, detail: (d) => Object.assign(details, d) };
    let ok = false;
    try {
      if (change.kind === "disableKey") {
        await setKeyStatus(keyDeps, SYSTEM, change.apiKeyId!, "Inactive", sink);
        summary.disabled++;
      } else {
        await recordCleanup(deps.db, { iamUserName: change.iamUserName, apiKeyId: null, accountId: change.accountId, reason: "foundByRefresh", now: deps.now() });
        const outcome = await retryCleanup(keyDeps, change.iamUserName, sink);
        if (outcome === "failed") throw new ActionError("keys.cleanupFailed", { user: change.iamUserName });
        if (outcome === "removed") summary.deletedUsers++;
      }
      await deps.db.postureFinding.deleteMany({ where: { id: change.findingId } });
      ok = true;
    } catch (error) {
      summary.failed++;
      details.error = error instanceof ActionError ? error.code : error instanceof Error ? error.name : "unknown";
    }
    await appendAudit(deps.db, {
      action: "posture.remediate",
      result: ok ? "success" : "failure",
      actorEmail: opts.actorEmail ?? "system",
      targetType: change.kind === "disableKey" ? KEY_TARGET : "iamUser",
      targetId: change.kind === "disableKey" ? change.apiKeyId : change.iamUserName,
      targetLabel: change.label,
      teamId: change.teamId,
      details,
    });
  }
  return summary;
}
