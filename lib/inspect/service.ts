import { effectiveStatus, type KeyStatus } from "@/lib/aws/iam-mapping";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { keyReadScope, keyStatusScope, VISIBLE_STATES } from "@/lib/keys/scope";
import { type AuditSink, KEY_TARGET, type KeyActor, NO_AUDIT } from "@/lib/keys/types";
import { issuanceScope } from "@/lib/shortterm/queries";
import { SHORT_TERM_TARGET } from "@/lib/shortterm/service";
import { decodeBedrockKey, type DecodedKey } from "./decode";

export interface InspectDeps {
  db: PrismaClient;
  now: () => Date;
  /** The console's own AWS account (STS GetCallerIdentity), to say "from another account". */
  accountId: () => Promise<string>;
  /** The name of a registered member account (issue 14), or null when the console does not manage it. */
  accountName?: (accountId: string) => Promise<string | null>;
  /** The account an access key belongs to (STS GetAccessKeyInfo); null when it cannot be told. */
  accessKeyAccount?: (accessKeyId: string) => Promise<string | null>;
}

export interface InspectedLongTermKey {
  keyId: string;
  name: string;
  status: KeyStatus;
  state: string;
  managed: boolean;
  owner: { id: string; name: string; email: string } | null;
  team: { id: string; name: string } | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** The viewer may disable it (containment); the disable action checks again. */
  canDisable: boolean;
}

export type InspectResult =
  | { kind: "invalid"; reason: Extract<DecodedKey, { kind: "invalid" }>["reason"] }
  | {
      kind: "long-term";
      userName: string;
      accountId: string;
      /** The registered account's name (issue 14); null for the console's own or an unknown account. */
      accountName: string | null;
      /** false: the key belongs to an AWS account the console does not manage; nothing here can contain it. */
      sameAccount: boolean;
      /** Keys of that IAM user in the viewer's scope (a user can hold two keys; the key alone does not say which). */
      matches: InspectedLongTermKey[];
    }
  | (Extract<DecodedKey, { kind: "short-term" }> & {
      expired: boolean;
      /** The account its signing session belongs to (GetAccessKeyInfo), when AWS says. */
      accountId: string | null;
      /** The console issuance it came from, when the viewer may see it. */
      issuance: {
        id: string;
        person: { id: string; name: string; email: string };
        sourceIdentity: string;
        roleArn: string;
        revoked: boolean;
      } | null;
      /** The viewer may revoke that person's short-term keys (admins). */
      canRevoke: boolean;
    });

/**
 * The key inspector: decode locally, then find what the console knows about the key, within
 * the viewer's scope. The pasted key is a local variable only: not stored, logged or audited
 * (the audit gets the kind and the matched record).
 */
export async function inspectKey(deps: InspectDeps, actor: KeyActor, pasted: string, audit: AuditSink = NO_AUDIT): Promise<InspectResult> {
  const decoded = decodeBedrockKey(pasted);
  audit.detail({ kind: decoded.kind });
  if (decoded.kind === "invalid") return { kind: "invalid", reason: decoded.reason };
  const now = deps.now();

  if (decoded.kind === "long-term") {
    const account = await deps.accountId();
    const own = decoded.accountId === account;
    const accountName = own ? null : ((await deps.accountName?.(decoded.accountId)) ?? null);
    // Any account the console manages: its own, or a registered member account (issue 14).
    const sameAccount = own || accountName !== null;
    audit.detail({ iamUserName: decoded.userName, accountId: decoded.accountId, sameAccount });
    if (!sameAccount) return { kind: "long-term", userName: decoded.userName, accountId: decoded.accountId, accountName, sameAccount, matches: [] };
    // The same IAM user name can exist in several accounts: only this account's keys match.
    const inAccount = own ? { OR: [{ accountId: decoded.accountId }, { accountId: null }] } : { accountId: decoded.accountId };
    const rows = await deps.db.apiKey.findMany({
      where: { AND: [{ iamUserName: decoded.userName, state: { in: VISIBLE_STATES } }, inAccount, keyReadScope(actor)] },
      orderBy: [{ state: "desc" }, { awsCreatedAt: "desc" }],
      select: {
        id: true,
        name: true,
        status: true,
        state: true,
        managed: true,
        teamId: true,
        expiresAt: true,
        lastUsedAt: true,
        owner: { select: { id: true, name: true, email: true } },
        team: { select: { id: true, name: true } },
      },
    });
    const disableable = new Set(
      (await deps.db.apiKey.findMany({ where: { AND: [{ id: { in: rows.map((r) => r.id) } }, keyStatusScope(actor)] }, select: { id: true } })).map(
        (r) => r.id,
      ),
    );
    const matches = rows.map((r) => {
      const status = effectiveStatus(r.status, r.expiresAt, now);
      return {
        keyId: r.id,
        name: r.name,
        status,
        state: r.state,
        managed: r.managed,
        owner: r.owner,
        team: r.team,
        expiresAt: r.expiresAt?.toISOString() ?? null,
        lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
        canDisable: disableable.has(r.id) && r.state === "present" && status === "Active",
      };
    });
    if (matches[0]) audit.target({ type: KEY_TARGET, id: matches[0].keyId, label: matches[0].name, teamId: matches[0].team?.id ?? null });
    return { kind: "long-term", userName: decoded.userName, accountId: decoded.accountId, accountName, sameAccount, matches };
  }

  const row = await deps.db.shortTermIssuance.findFirst({
    where: { AND: [{ accessKeyId: decoded.accessKeyId }, issuanceScope(actor)] },
    select: { id: true, issuedAt: true, sourceIdentity: true, roleArn: true, user: { select: { id: true, name: true, email: true } } },
  });
  let issuance: Extract<InspectResult, { kind: "short-term" }>["issuance"] = null;
  if (row) {
    const revocation = await deps.db.shortTermRevocation.findFirst({
      where: { sourceIdentity: row.sourceIdentity, revokedBefore: { gt: row.issuedAt } },
      select: { id: true },
    });
    issuance = { id: row.id, person: row.user, sourceIdentity: row.sourceIdentity, roleArn: row.roleArn, revoked: revocation !== null };
    audit.target({ type: SHORT_TERM_TARGET, id: row.id, label: row.user.email });
  }
  // Which account signed it (issue 14): AWS knows from the access key id alone.
  const accountId = deps.accessKeyAccount ? await deps.accessKeyAccount(decoded.accessKeyId).catch(() => null) : null;
  audit.detail({ accessKeyId: decoded.accessKeyId, region: decoded.region, matched: row !== null, ...(accountId ? { accountId } : {}) });
  return { ...decoded, expired: Date.parse(decoded.expiresAt) <= now.getTime(), accountId, issuance, canRevoke: actor.role === "admin" && row !== null };
}
