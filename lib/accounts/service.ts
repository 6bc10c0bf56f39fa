import { AwsServiceError } from "@/lib/aws/errors";
import { getCallerIdentity } from "@/lib/aws/sts";
import { ActionError } from "@/lib/actions/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { AuditSink } from "@/lib/keys/types";
import type { AccountAccess, AccountRef } from "./access";
import type { AddAccountInput, UpdateAccountInput } from "./schema";

export const ACCOUNT_TARGET = "aws-account";

export interface AccountsDeps {
  db: PrismaClient;
  access: AccountAccess;
  now: () => Date;
  /** BEDROCK_REGIONS: the regions of an account that names none. */
  defaultRegions: readonly string[];
}

export interface AccountView {
  id: string;
  name: string;
  roleArn: string | null;
  /** Only whether one is set, and its last 4 characters: enough to recognise it. */
  externalIdHint: string | null;
  signingRoleArn: string | null;
  /** The account's own policy overrides (null: the organisation's). */
  policy: { maxKeyAgeDays: number | null; allowedModels: string[] | null };
  regions: string[];
  /** true: the account names no regions and uses BEDROCK_REGIONS. */
  defaultRegions: boolean;
  status: "active" | "paused";
  source: "default" | "manual" | "organizations";
  lastCheckedAt: Date | null;
  lastErrorCode: string | null;
  /** What failed, as a message of the "errors" catalog and its parameters (translated on the page). */
  lastError: { key: string; params: Record<string, string | number> } | null;
  keys: number;
  /** Teams allowed to have keys here; empty: every team. */
  teams: { id: string; name: string }[];
}

export function regionsOf(account: { regions: string }, fallback: readonly string[]): string[] {
  const own = account.regions.split(",").filter(Boolean);
  return own.length ? own : [...fallback];
}

export async function listAccounts(deps: AccountsDeps): Promise<AccountView[]> {
  await deps.access.ensureDefault().catch(() => undefined); // shown as missing until AWS answers
  const rows = await deps.db.awsAccount.findMany({
    orderBy: [{ source: "asc" }, { name: "asc" }],
    include: { teams: { select: { team: { select: { id: true, name: true } } }, orderBy: { team: { name: "asc" } } } },
  });
  const counts = await deps.db.apiKey.groupBy({ by: ["accountId"], where: { state: "present" }, _count: { _all: true } });
  const byAccount = new Map(counts.map((c) => [c.accountId, c._count._all]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    roleArn: r.roleArn,
    externalIdHint: r.externalId ? `…${r.externalId.slice(-4)}` : null,
    signingRoleArn: r.signingRoleArn,
    policy: { maxKeyAgeDays: r.policyMaxKeyAgeDays, allowedModels: r.policyAllowedModels === null ? null : (JSON.parse(r.policyAllowedModels) as string[]) },
    regions: regionsOf(r, deps.defaultRegions),
    defaultRegions: r.regions === "",
    status: r.status === "paused" ? "paused" : "active",
    source: r.source === "default" || r.source === "organizations" ? r.source : "manual",
    lastCheckedAt: r.lastCheckedAt,
    lastErrorCode: r.lastErrorCode,
    lastError: parseFailure(r.lastError),
    keys: byAccount.get(r.id) ?? 0,
    teams: r.teams.map((t) => t.team),
  }));
}

/**
 * Can the console act in the account? Assumes the member role (or uses its own credentials) and
 * asks STS who it is there: the identity must belong to the account, or the registration points
 * somewhere else. Returns the failure as codes and a message key, never throws for AWS trouble.
 */
export async function probeAccount(access: AccountAccess, account: AccountRef): Promise<{ ok: true; arn: string } | ({ ok: false } & AccountFailure)> {
  try {
    const who = await getCallerIdentity(access.clientsFor(account).sts);
    if (who.account !== account.id) {
      return { ok: false, code: "WrongAccount", key: "accounts.wrongAccount", params: { expected: account.id, actual: who.account || "?" } };
    }
    return { ok: true, arn: who.arn };
  } catch (error) {
    if (error instanceof AwsServiceError) return { ok: false, ...accountFailure(error) };
    throw error;
  }
}

export interface AccountFailure {
  /** AWS's error code (AccessDenied, NoSuchEntity, …) or ours (WrongAccount). */
  code: string;
  /** Message key in the "errors" catalog and its parameters. */
  key: string;
  params: Record<string, string | number>;
}

/** The failure of any AWS call made in an account, as the accounts page shows it. */
export function accountFailure(error: unknown): AccountFailure {
  if (error instanceof AwsServiceError) return { code: error.awsCode, key: error.code, params: error.params };
  if (error instanceof ActionError) return { code: error.code, key: error.code, params: error.params };
  return { code: error instanceof Error ? error.name : "Unknown", key: "aws.unknown", params: { code: error instanceof Error ? error.name : "Unknown", operation: "?" } };
}

function parseFailure(text: string | null): AccountView["lastError"] {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as { key?: unknown; params?: unknown };
    return typeof v.key === "string" ? { key: v.key, params: (v.params ?? {}) as Record<string, string | number> } : null;
  } catch {
    return null;
  }
}

/** Stores the outcome of a check, a refresh or a sync on the account: its error state on the accounts page. */
export async function recordAccountResult(db: PrismaClient, accountId: string, now: Date, failure: AccountFailure | null) {
  await db.awsAccount.updateMany({
    where: { id: accountId },
    data: { lastCheckedAt: now, lastErrorCode: failure?.code ?? null, lastError: failure ? JSON.stringify({ key: failure.key, params: failure.params }) : null },
  });
}

/**
 * Registers a member account after proving the console can act in it: nothing is stored when the
 * role cannot be assumed (trust policy, ExternalId) or belongs to another account.
 */
export async function addAccount(deps: AccountsDeps, input: AddAccountInput, audit: AuditSink) {
  audit.target({ type: ACCOUNT_TARGET, id: input.id, label: input.name });
  audit.detail({ roleArn: input.roleArn, regions: input.regions });
  await deps.access.ensureDefault().catch(() => undefined);
  if (await deps.db.awsAccount.findUnique({ where: { id: input.id }, select: { id: true } })) {
    throw new ActionError("accounts.exists", { account: input.id }, { id: { code: "field.accountTaken" } });
  }
  const probe = await probeAccount(deps.access, { id: input.id, roleArn: input.roleArn, externalId: input.externalId });
  if (!probe.ok) {
    audit.detail({ awsErrorCode: probe.code });
    throw new ActionError(probe.key, probe.params);
  }
  const now = deps.now();
  await deps.db.awsAccount.create({
    data: { id: input.id, name: input.name, roleArn: input.roleArn, externalId: input.externalId, regions: input.regions.join(","), source: "manual", lastCheckedAt: now },
  });
  return { accountId: input.id };
}

export async function updateAccount(deps: AccountsDeps, input: UpdateAccountInput, audit: AuditSink) {
  const before = await deps.db.awsAccount.findUnique({ where: { id: input.accountId }, include: { teams: { select: { team: { select: { id: true, name: true } } } } } });
  if (!before) throw new ActionError("notFound");
  audit.target({ type: ACCOUNT_TARGET, id: before.id, label: before.name });
  const teams = await deps.db.team.findMany({ where: { id: { in: input.teams } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  if (teams.length !== new Set(input.teams).size) throw new ActionError("invalidInput", {}, { teams: { code: "field.choice" } });
  const after = {
    name: input.name,
    regions: input.regions.join(","),
    policyMaxKeyAgeDays: input.policyMaxKeyAgeDays,
    policyAllowedModels: input.policyModels === null ? null : JSON.stringify(input.policyModels),
    // The own account signs with SHORT_TERM_ROLE_ARN; member accounts name theirs here.
    ...(before.roleArn ? { signingRoleArn: input.signingRoleArn || null } : {}),
    ...(input.externalId && before.roleArn ? { externalId: input.externalId } : {}),
  };
  audit.detail({
    before: { name: before.name, regions: before.regions, teams: before.teams.map((t) => t.team.name).sort(), signingRoleArn: before.signingRoleArn, maxKeyAgeDays: before.policyMaxKeyAgeDays, allowedModels: before.policyAllowedModels },
    after: { name: after.name, regions: after.regions, teams: teams.map((t) => t.name), signingRoleArn: "signingRoleArn" in after ? after.signingRoleArn : before.signingRoleArn, maxKeyAgeDays: after.policyMaxKeyAgeDays, allowedModels: after.policyAllowedModels },
    externalIdChanged: "externalId" in after && after.externalId !== before.externalId,
  });
  if ("externalId" in after && after.externalId !== before.externalId) {
    // A new ExternalId must work before it replaces the one that does.
    const probe = await probeAccount(deps.access, { id: before.id, roleArn: before.roleArn, externalId: after.externalId ?? null });
    if (!probe.ok) throw new ActionError(probe.key, probe.params);
  }
  await deps.db.$transaction([
    deps.db.awsAccount.update({ where: { id: before.id }, data: after }),
    deps.db.teamAccount.deleteMany({ where: { accountId: before.id } }),
    deps.db.teamAccount.createMany({ data: teams.map((t) => ({ teamId: t.id, accountId: before.id })) }),
  ]);
  return { accountId: before.id };
}

export async function setAccountStatus(deps: AccountsDeps, accountId: string, status: "active" | "paused", audit: AuditSink) {
  const account = await deps.db.awsAccount.findUnique({ where: { id: accountId }, select: { id: true, name: true, status: true } });
  if (!account) throw new ActionError("notFound");
  audit.target({ type: ACCOUNT_TARGET, id: account.id, label: account.name });
  audit.detail({ before: account.status, after: status });
  const changed = await deps.db.awsAccount.updateMany({ where: { id: accountId, status: account.status }, data: { status } });
  if (changed.count !== 1) throw new ActionError("conflict");
  return { accountId, status };
}

/** "Test connection": the probe, recorded on the account either way. */
export async function checkAccount(deps: AccountsDeps, accountId: string, audit: AuditSink) {
  const account = await deps.db.awsAccount.findUnique({ where: { id: accountId }, select: { id: true, name: true, roleArn: true, externalId: true } });
  if (!account) throw new ActionError("notFound");
  audit.target({ type: ACCOUNT_TARGET, id: account.id, label: account.name });
  const probe = await probeAccount(deps.access, account);
  const now = deps.now();
  if (probe.ok) {
    await recordAccountResult(deps.db, account.id, now, null);
    return { accountId, ok: true as const };
  }
  audit.detail({ awsErrorCode: probe.code });
  await recordAccountResult(deps.db, account.id, now, probe);
  throw new ActionError(probe.key, probe.params);
}

/**
 * May this team have keys in this account? An account that names no teams is open to all; one
 * that names some is open to those only (issue 14).
 */
export async function teamMayUseAccount(db: PrismaClient, teamId: string, accountId: string): Promise<boolean> {
  const rows = await db.teamAccount.findMany({ where: { accountId }, select: { teamId: true } });
  return rows.length === 0 || rows.some((r) => r.teamId === teamId);
}
