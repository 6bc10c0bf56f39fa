import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { IAMClient } from "@aws-sdk/client-iam";
import { appendAudit } from "@/lib/audit/service";
import { AwsServiceError } from "@/lib/aws/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { refreshInventory, type RefreshSummary } from "./inventory";
import { acquireLease, releaseLease } from "./lease";
import { KEY_TARGET } from "./types";

export const INVENTORY_LEASE = "inventory-refresh";
/** Longer than any refresh should take; a crashed holder's lease frees itself after this. */
const LEASE_TTL_MS = 10 * 60_000;
/** This process, as a lease holder. */
const HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export type RefreshOutcome =
  | ({ status: "done"; refreshId: number; durationMs: number } & RefreshSummary)
  | { status: "busy" };

interface Deps {
  db: PrismaClient;
  iam: IAMClient;
  now: () => Date;
  keyIamPath: string;
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
    const summary = await refreshInventory(deps);
    const finished = deps.now();
    await deps.db.inventoryRefresh.update({
      where: { id: run.id },
      data: {
        finishedAt: finished,
        result: "success",
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
    const outcome = { status: "done" as const, refreshId: run.id, durationMs: finished.getTime() - started.getTime(), ...summary };
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
