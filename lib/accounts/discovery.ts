import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { listOrganizationAccounts } from "@/lib/aws/organizations";
import type { AuditSink } from "@/lib/keys/types";
import type { DiscoverInput } from "./schema";
import { ACCOUNT_TARGET, type AccountsDeps, probeAccount, recordAccountResult } from "./service";

const PROBES_AT_ONCE = 4;

export interface DiscoveryResult {
  /** Accounts the organisation lists (any state). */
  found: number;
  added: string[];
  /** Added, but the console cannot act there yet (role not deployed, trust or ExternalId wrong). */
  failing: string[];
  /** Discovered earlier, no longer active in the organisation: paused, keys untouched. */
  removed: string[];
  calls: number;
}

/**
 * Registers every active account of the organisation that is not registered yet, assuming the
 * member role by the naming convention (the same role name and ExternalId in every account, as a
 * StackSet deploys it), and checks each. Accounts discovered earlier that left the organisation
 * or were suspended are paused, with the reason shown on the account. Run from the management or
 * a delegated-administrator account (organizations:ListAccounts).
 */
export async function discoverAccounts(deps: AccountsDeps & { organizations: OrganizationsClient }, input: DiscoverInput, audit: AuditSink): Promise<DiscoveryResult> {
  audit.target({ type: ACCOUNT_TARGET, id: "organization", label: "AWS Organizations" });
  const own = await deps.access.ensureDefault();
  const { accounts, calls } = await listOrganizationAccounts(deps.organizations);
  const registered = new Map((await deps.db.awsAccount.findMany({ select: { id: true, source: true, status: true } })).map((a) => [a.id, a]));
  const active = accounts.filter((a) => a.state === "ACTIVE");
  const fresh = active.filter((a) => a.id !== own && !registered.has(a.id));
  const now = deps.now();
  for (const a of fresh) {
    await deps.db.awsAccount.create({
      data: {
        id: a.id,
        name: a.name.slice(0, 64),
        roleArn: `arn:aws:iam::${a.id}:role/${input.roleName}`,
        externalId: input.externalId,
        regions: input.regions.join(","),
        source: "organizations",
      },
    });
  }
  const failing: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < fresh.length) {
      const a = fresh[next++]!;
      const probe = await probeAccount(deps.access, { id: a.id, roleArn: `arn:aws:iam::${a.id}:role/${input.roleName}`, externalId: input.externalId });
      await recordAccountResult(deps.db, a.id, deps.now(), probe.ok ? null : probe);
      if (!probe.ok) failing.push(a.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, fresh.length) }, worker));

  const activeIds = new Set(active.map((a) => a.id));
  const removed: string[] = [];
  for (const [id, row] of registered) {
    if (row.source !== "organizations" || activeIds.has(id) || row.status === "paused") continue;
    const state = accounts.find((a) => a.id === id)?.state ?? "REMOVED";
    await deps.db.awsAccount.update({
      where: { id },
      data: { status: "paused", lastCheckedAt: now, lastErrorCode: "NotInOrganization", lastError: JSON.stringify({ key: "accounts.leftOrganization", params: { state } }) },
    });
    removed.push(id);
  }
  const result = { found: accounts.length, added: fresh.map((a) => a.id), failing, removed, calls };
  audit.detail({ found: result.found, added: result.added, failing: result.failing, removed: result.removed, roleName: input.roleName });
  return result;
}
