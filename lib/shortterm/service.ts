import { randomUUID } from "node:crypto";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { STSClient } from "@aws-sdk/client-sts";
import { getToken } from "@aws/bedrock-token-generator";
import { ActionError } from "@/lib/actions/errors";
import { AwsServiceError } from "@/lib/aws/errors";
import { deleteRolePolicy, getRolePolicyDocument, putRolePolicy, roleNameFromArn } from "@/lib/aws/iam-roles";
import { assumeRole } from "@/lib/aws/sts";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { suggestedModelId } from "@/lib/keys/catalogue";
import { acquireLease, releaseLease } from "@/lib/keys/lease";
import { assertShortTermWithinPolicy } from "@/lib/policy/enforce";
import { type AuditSink, type KeyActor, NO_AUDIT } from "@/lib/keys/types";
import { sourceIdentityFor } from "./identity";
import {
  buildRevocationPolicy,
  isoSeconds,
  MAX_SESSION_SECONDS,
  mergeRevocations,
  readRevocations,
  REVOCATION_POLICY_NAME,
  revocationCutoff,
  ROLE_INLINE_POLICY_LIMIT,
} from "./revocation-policy";

export interface ShortTermDeps {
  db: PrismaClient;
  iam: IAMClient;
  sts: STSClient;
  now: () => Date;
  /** SHORT_TERM_ROLE_ARN; undefined turns the feature off. */
  roleArn: string | undefined;
  maxHours: number;
  /** Regions a person may make a key for (BEDROCK_REGIONS). */
  regions: readonly string[];
  sleep?: (ms: number) => Promise<void>;
  /**
   * A registered member account's clients and signing role (issue 14): the console assumes the
   * member role, then the account's signing role from there. Unset: the console's own account only.
   */
  accountFor?: (accountId: string) => Promise<MemberSigning | null>;
  /** Every member account with a signing role, for revoking a person's keys everywhere. */
  signingAccounts?: () => Promise<MemberSigning[]>;
}

export interface MemberSigning {
  id: string;
  name: string;
  iam: IAMClient;
  sts: STSClient;
  /** null: short-term keys are not set up in this account. */
  signingRoleArn: string | null;
}

/** A role assumed from another role's session ("role chaining") lasts at most one hour: AWS's rule. */
export const CHAINED_MAX_MINUTES = 60;

export const SHORT_TERM_TARGET = "shortTermKey";

export interface ShortTermReveal {
  issuanceId: string;
  /** The bedrock-api-key-… token. Shown once; never stored, logged or audited. */
  token: string;
  region: string;
  modelId: string;
  issuedAt: string;
  expiresAt: string;
  sourceIdentity: string;
}

function requireRole(deps: ShortTermDeps): string {
  if (!deps.roleArn) throw new ActionError("shortterm.notConfigured");
  return deps.roleArn;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A short-term key for the person acting, signed by a role session named after them
 * (RoleSessionName and SourceIdentity), so CloudTrail attributes every call to the person and
 * their keys can be revoked on their own. The issuance is recorded without the token.
 */
export async function generateShortTermKey(
  deps: ShortTermDeps,
  actor: Pick<KeyActor, "id" | "email" | "role" | "teamIds">,
  input: { region: string; expiresInMinutes: number; accountId?: string },
  audit: AuditSink = NO_AUDIT,
  /** viaApprovedRequest: the pick-up of an approved request (lib/requests), which needs no self-service. */
  options: { viaApprovedRequest?: boolean } = {},
): Promise<ShortTermReveal> {
  // In a member account (issue 14): its signing role, reached through the member role.
  const member = input.accountId ? await deps.accountFor?.(input.accountId) : null;
  if (input.accountId && !member) throw new ActionError("invalidInput", {}, { accountId: { code: "field.choice" } });
  if (member && !member.signingRoleArn) throw new ActionError("shortterm.notConfiguredInAccount", { account: member.name });
  if (member && input.expiresInMinutes > CHAINED_MAX_MINUTES) {
    throw new ActionError("invalidInput", {}, { expiresInMinutes: { code: "field.chainedMaxMinutes", params: { max: CHAINED_MAX_MINUTES } } });
  }
  const roleArn = member ? member.signingRoleArn! : requireRole(deps);
  const sts = member ? member.sts : deps.sts;
  if (!deps.regions.includes(input.region)) throw new ActionError("invalidInput", {}, { region: { code: "field.choice" } });
  if (input.expiresInMinutes > deps.maxHours * 60) {
    throw new ActionError("invalidInput", {}, { expiresInMinutes: { code: "field.maxHours", params: { max: deps.maxHours } } });
  }
  // The organisation's policy (issue 6): developers' self-service and the maximum lifetime.
  await assertShortTermWithinPolicy(deps.db, {
    role: actor.role,
    minutes: input.expiresInMinutes,
    viaApprovedRequest: options.viaApprovedRequest ?? false,
  });
  const sourceIdentity = sourceIdentityFor(actor);
  await waitForCutoff(deps, sourceIdentity);

  const expiresInSeconds = input.expiresInMinutes * 60;
  // A token dies with its signing credentials, so the session must outlive it: a minute of margin
  // (STS truncates the session's issue time to the second), at least STS's 15 minutes, at most 12 h.
  const session = await assumeRole(sts, {
    roleArn,
    sessionName: sourceIdentity,
    sourceIdentity,
    durationSeconds: Math.min(member ? CHAINED_MAX_MINUTES * 60 : MAX_SESSION_SECONDS, Math.max(900, expiresInSeconds + 60)),
  });
  const issuedAt = deps.now();
  const token = await getToken({
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiration: session.expiration,
    },
    region: input.region,
    expiresInSeconds,
  });
  const expiresAt = new Date(Math.min(issuedAt.getTime() + expiresInSeconds * 1000, session.expiration.getTime()));
  const row = await deps.db.shortTermIssuance.create({
    data: { userId: actor.id, sourceIdentity, roleArn, region: input.region, accessKeyId: session.accessKeyId, issuedAt, expiresAt },
    select: { id: true },
  });
  audit.target({ type: SHORT_TERM_TARGET, id: row.id, label: actor.email, teamId: actor.teamIds[0] ?? null });
  audit.detail({ region: input.region, ...(member ? { accountId: member.id } : {}), expiresAt: expiresAt.toISOString(), accessKeyId: session.accessKeyId, sourceIdentity });
  return {
    issuanceId: row.id,
    token,
    region: input.region,
    modelId: suggestedModelId(input.region),
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    sourceIdentity,
  };
}

/**
 * Revocation denies this person's sessions issued before a whole-second cutoff just after "now".
 * A key made before that second has passed would be born revoked, so wait it out (< 1.1 s).
 */
async function waitForCutoff(deps: ShortTermDeps, sourceIdentity: string) {
  const latest = await deps.db.shortTermRevocation.findFirst({
    where: { sourceIdentity },
    orderBy: { revokedBefore: "desc" },
    select: { revokedBefore: true },
  });
  const wait = latest ? latest.revokedBefore.getTime() - deps.now().getTime() : 0;
  if (wait > 0) await (deps.sleep ?? sleep)(Math.min(wait + 50, 2_000));
}

const POLICY_LEASE = "shortterm-revocation-policy";

/**
 * Revoke every short-term key a person has made so far. Their new keys work again at once;
 * other people's keys are untouched. The role's policy is read, merged and written under a
 * database lease, so two admins revoking at the same time do not overwrite each other.
 */
export async function revokeShortTermKeys(
  deps: ShortTermDeps,
  actor: Pick<KeyActor, "id" | "email">,
  userId: string,
  audit: AuditSink = NO_AUDIT,
): Promise<{ revokedBefore: string; activeKeysRevoked: number; statements: number; pruned: number }> {
  const roleArn = requireRole(deps);
  const person = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, memberships: { select: { teamId: true } } } });
  if (!person) throw new ActionError("notFound");
  audit.target({ type: "user", id: person.id, label: person.email, teamId: person.memberships[0]?.teamId ?? null });
  const now0 = deps.now();
  // The person's identity now, plus any other identity their unexpired keys were issued under
  // (the email-only form used before user ids were part of it, or an old email): the issuance
  // records keep what each session really carried, so keys issued before are revoked too. An
  // email-only identity two people shared cannot be told apart by AWS; revoking it covers both
  // people's keys issued under it, which expire within 12 h anyway.
  const sourceIdentity = sourceIdentityFor(person);
  const older = await deps.db.shortTermIssuance.findMany({
    where: { userId: person.id, expiresAt: { gt: now0 }, sourceIdentity: { not: sourceIdentity } },
    distinct: ["sourceIdentity"],
    select: { sourceIdentity: true },
  });
  const identities = [sourceIdentity, ...older.map((o) => o.sourceIdentity)];
  const roleName = roleNameFromArn(roleArn);
  const holder = randomUUID();
  await withLease(deps, holder);
  try {
    const now = deps.now();
    const cutoff = revocationCutoff(now);
    const { revocations, pruned } = await writeRevocations(deps.iam, roleName, identities, cutoff, now);
    // Everywhere (issue 14): the same revocation on every member account's signing role. One
    // account failing is reported, never stops the others; the own account's is already written.
    const accounts = await revokeInMemberAccounts(deps, identities, cutoff, now);
    await deps.db.shortTermRevocation.createMany({
      data: identities.map((identity) => ({ sourceIdentity: identity, userId: person.id, revokedBefore: cutoff, revokedById: actor.id })),
    });
    const activeKeysRevoked = await deps.db.shortTermIssuance.count({ where: { sourceIdentity: { in: identities }, issuedAt: { lt: cutoff }, expiresAt: { gt: now } } });
    const result = { revokedBefore: cutoff.toISOString(), activeKeysRevoked, statements: revocations.length, pruned, ...(accounts.done.length || accounts.failed.length ? { accounts } : {}) };
    audit.detail({ sourceIdentity, ...(identities.length > 1 ? { earlierIdentities: identities.slice(1) } : {}), roleName, ...result });
    return result;
  } finally {
    await releaseLease(deps.db, POLICY_LEASE, holder);
  }
}

/**
 * Reads a signing role's revocation policy, merges the identities' cutoff into it and writes it
 * back (or removes it when nothing is left): the same for the console's own role and for every
 * member account's.
 */
async function writeRevocations(iam: IAMClient, roleName: string, identities: string[], cutoff: Date, now: Date) {
  let revocations = readRevocations(await getRolePolicyDocument(iam, roleName, REVOCATION_POLICY_NAME));
  let pruned = 0;
  for (const identity of identities) {
    const merged = mergeRevocations(revocations, { sourceIdentity: identity, revokedBefore: isoSeconds(cutoff) }, now);
    revocations = merged.revocations;
    pruned += merged.pruned;
  }
  const document = buildRevocationPolicy(revocations);
  if (document && document.replace(/\s/g, "").length > ROLE_INLINE_POLICY_LIMIT) throw new ActionError("shortterm.revocationLimit");
  if (document) await putRolePolicy(iam, roleName, REVOCATION_POLICY_NAME, document);
  else await deleteRolePolicy(iam, roleName, REVOCATION_POLICY_NAME);
  return { revocations, pruned };
}

async function revokeInMemberAccounts(deps: ShortTermDeps, identities: string[], cutoff: Date, now: Date): Promise<{ done: string[]; failed: { id: string; code: string }[] }> {
  const done: string[] = [];
  const failed: { id: string; code: string }[] = [];
  for (const account of (await deps.signingAccounts?.()) ?? []) {
    if (!account.signingRoleArn) continue;
    try {
      await writeRevocations(account.iam, roleNameFromArn(account.signingRoleArn), identities, cutoff, now);
      done.push(account.id);
    } catch (error) {
      failed.push({ id: account.id, code: error instanceof AwsServiceError ? error.awsCode : error instanceof ActionError ? error.code : error instanceof Error ? error.name : "unknown" });
    }
  }
  return { done, failed };
}

async function withLease(deps: ShortTermDeps, holder: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await acquireLease(deps.db, POLICY_LEASE, holder, 60_000, deps.now())) return;
    await (deps.sleep ?? sleep)(100);
  }
  throw new ActionError("conflict");
}
