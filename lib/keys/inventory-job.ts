import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { IAMClient } from "@aws-sdk/client-iam";
import { appendAudit } from "@/lib/audit/service";
import { AwsServiceError } from "@/lib/aws/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type AccountAccess } from "@/lib/accounts/access";
import { accountFailure, recordAccountResult } from "@/lib/accounts/service";
import { refreshInventory, type RefreshSummary } from "./inventory";
import { acquireLease, releaseLease } from "./lease";
import { KEY_TARGET } from "./types";

export const INVENTORY_LEASE = "inventory-refresh";
/** Longer than any refresh should take; a crashed holder's lease frees itself after this. */
const LEASE_TTL_MS = 10 * 60_000;
/** This process, as a lease holder. */
const HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface FailedAccount {
  id: string;
  name: string;
  /** AWS's error code (AccessDenied, …): the account page says what to fix. */
  code: string;
}

export type RefreshOutcome =
  | ({ status: "done"; refreshId: number; durationMs: number; accounts: number; failedAccounts: FailedAccount[] } & RefreshSummary)
  | { status: "busy" };

interface Deps {
  db: PrismaClient;
  /** IAM of the console's own account. */
  iam: IAMClient;
  now: () => Date;
  keyIamPath: string;
  /** Every active registered account is refreshed (issue 14); unset: only `iam`'s account. */
  accounts?: AccountAccess;
}

/** Accounts listed at once: IAM's rate limits are per account, the console's own resources are not unlimited. */
const ACCOUNT_CONCURRENCY = 4;

export interface Target {
  account: { id: string; isDefault: boolean } | null;
  name: string;
  iam: IAMClient;
}

/** Every active registered account with its IAM client (or, without accounts, `iam`'s own); also the posture evaluation's. */
export async function refreshTargets(deps: Pick<Deps, "db" | "iam" | "accounts">): Promise<Target[]> {
  if (!deps.accounts) return [{ account: null, name: "", iam: deps.iam }];
  const defaultId = await deps.accounts.ensureDefault();
  const rows = await deps.db.awsAccount.findMany({ where: { status: "active" }, orderBy: { id: "asc" }, select: { id: true, name: true, roleArn: true, externalId: true } });
  return rows.map((a) => ({ account: { id: a.id, isDefault: a.id === defaultId }, name: a.name, iam: deps.accounts!.clientsFor(a).iam }));
}

/**
 * Refresh every account, a few at a time. One account's failure (a deleted member role, a trust
 * policy that no longer names the console) is recorded on that account and never stops the
 * others; the run fails only when every account failed.
 */
async function refreshAll(deps: Deps, targets: Target[]): Promise<{ summary: RefreshSummary; failed: (FailedAccount & { error: unknown })[] }> {
  const summary: RefreshSummary = { listed: 0, created: 0, updated: 0, gone: [], relinked: 0, orphans: 0, calls: { ListServiceSpecificCredentials: 0, ListUsers: 0, ListUserTags: 0 }, totalCalls: 0 };
  const failed: (FailedAccount & { error: unknown })[] = [];
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const target = targets[next++]!;
      try {
        const one = await refreshInventory({ ...deps, iam: target.iam, account: target.account });
        summary.listed += one.listed;
        summary.created += one.created;
        summary.updated += one.updated;
        summary.gone.push(...one.gone);
        summary.relinked += one.relinked;
        summary.orphans += one.orphans;
        for (const k of Object.keys(summary.calls) as (keyof RefreshSummary["calls"])[]) summary.calls[k] += one.calls[k];
        summary.totalCalls += one.totalCalls;
        if (target.account) await recordAccountResult(deps.db, target.account.id, deps.now(), null);
      } catch (error) {
        if (!target.account) throw error;
        const failure = accountFailure(error);
        failed.push({ id: target.account.id, name: target.name, code: failure.code, error });
        await recordAccountResult(deps.db, target.account.id, deps.now(), failure);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ACCOUNT_CONCURRENCY, targets.length) }, worker));
  return { summary, failed };
}

/**
 * One inventory refresh at a time across requests, schedules and app instances (a database
 * lease). Records the run (InventoryRefresh) and audits keys found deleted outside the console,
 * with their team, so leads see it. A scheduled run is audited here as a system action; an
 * on-demand run is audited by its server action.
 */
export async function runInventoryRefresh(deps: Deps, trigger: "manual" | "schedule"): Promise<RefreshOutcome> {
  const started = deps.now();
  if (!(await acquireLease(deps.db, INVENTORY_LEASE, HOLDER, LEASE_TTL_MS, started))) return { status: "busy" };
  const run = await deps.db.inventoryRefresh.create({ data: { trigger, startedAt: started }, select: { id: true } });
  try {
    const targets = await refreshTargets(deps);
    const { summary, failed } = await refreshAll(deps, targets);
    if (targets.length > 0 && failed.length === targets.length) throw failed[0]!.error;
    const finished = deps.now();
    await deps.db.inventoryRefresh.update({
      where: { id: run.id },
      data: {
        finishedAt: finished,
        result: failed.length ? "partial" : "success",
        ...(failed.length ? { error: failed.map((f) => `${f.id}:${f.code}`).join(",").slice(0, 500) } : {}),
        listed: summary.listed,
        created: summary.created,
        updated: summary.updated,
        gone: summary.gone.length,
        iamCalls: summary.totalCalls,
      },
    });
    for (const key of summary.gone) {
      await appendAudit(deps.db, {
        action: "keys.gone_outside",
        result: "success",
        actorEmail: "system",
        targetType: KEY_TARGET,
        targetId: key.id,
        targetLabel: key.name,
        teamId: key.teamId,
        details: { refreshId: run.id },
      });
    }
    const failedAccounts = failed.map(({ id, name, code }) => ({ id, name, code }));
    const outcome = { status: "done" as const, refreshId: run.id, durationMs: finished.getTime() - started.getTime(), accounts: targets.length, failedAccounts, ...summary };
    if (trigger === "schedule") await auditScheduled(deps.db, "success", auditSummary(outcome));
    return outcome;
  } catch (error) {
    const code = error instanceof AwsServiceError ? error.awsCode : error instanceof Error ? error.name : "unknown";
    await deps.db.inventoryRefresh.update({ where: { id: run.id }, data: { finishedAt: deps.now(), result: "failure", error: code } });
    if (trigger === "schedule") await auditScheduled(deps.db, "failure", { refreshId: run.id, error: code });
    throw error;
  } finally {
    await releaseLease(deps.db, INVENTORY_LEASE, HOLDER);
  }
}

/** Counts for an audit entry (not the gone keys' list: each has its own entry). */
export function auditSummary(o: Extract<RefreshOutcome, { status: "done" }>) {
  return {
    refreshId: o.refreshId,
    listed: o.listed,
    created: o.created,
    updated: o.updated,
    gone: o.gone.length,
    relinked: o.relinked,
    iamCalls: o.totalCalls,
    durationMs: o.durationMs,
    accounts: o.accounts,
    ...(o.failedAccounts.length ? { failedAccounts: o.failedAccounts.map((f) => `${f.id}:${f.code}`) } : {}),
  };
}

async function auditScheduled(db: PrismaClient, result: "success" | "failure", details: Record<string, unknown>) {
  await appendAudit(db, { action: "keys.refresh", result, actorEmail: "system", targetType: "inventory", details: { trigger: "schedule", ...details } });
}

/** The last finished refresh, for "last refreshed …" on the inventory page. */
export async function lastRefresh(db: PrismaClient) {
  return db.inventoryRefresh.findFirst({
    where: { finishedAt: { not: null } },
    orderBy: { id: "desc" },
    select: { finishedAt: true, result: true, listed: true, iamCalls: true, trigger: true },
  });
}
