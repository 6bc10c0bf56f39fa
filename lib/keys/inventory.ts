import type { IAMClient } from "@aws-sdk/client-iam";
import { isAwsKind } from "@/lib/aws/errors";
import { listBedrockCredentials, listUserNamesUnderPath, listUserTags } from "@/lib/aws/iam";
import type { BedrockCredential } from "@/lib/aws/iam-mapping";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { recordCleanup } from "./cleanup";

/**
 * The inventory refresh: IAM is the truth, the database is what pages render from.
 *
 * Cost: ⌈N/1000⌉ ListServiceSpecificCredentials calls for N keys, plus one ListUsers page per
 * 1,000 users under KEY_IAM_PATH (to tell console-made users from others, and to find console
 * users left without any credential by an unfinished clean-up). Keys already in the database cost
 * nothing more; each *new* key's user under that path costs one ListUserTags, to re-link a key the
 * console made but has no record of (e.g. after restoring an older database backup).
 */

export interface RefreshCalls {
  ListServiceSpecificCredentials: number;
  ListUsers: number;
  ListUserTags: number;
}

export interface RefreshSummary {
  listed: number;
  created: number;
  updated: number;
  /** Keys that disappeared from IAM since the last refresh (deleted outside the console). */
  gone: { id: string; name: string; teamId: string | null }[];
  /** New keys re-linked to console records through their IAM user's tags. */
  relinked: number;
  /** Console-made users newly found holding no credential (recorded as pending clean-ups). */
  orphans: number;
  calls: RefreshCalls;
  totalCalls: number;
}

/** An issuing record older than this belongs to a crashed issuance; its key may be linked. */
const ABANDONED_ISSUE_MS = 10 * 60_000;
const CHUNK = 500;
const TAG_READERS = 4;

interface Deps {
  db: PrismaClient;
  /** IAM of the account being refreshed. */
  iam: IAMClient;
  now: () => Date;
  keyIamPath: string;
  /**
   * The account this refresh lists (issue 14): only its records are compared with the listing, so
   * a key of another account is never taken for deleted. `null`: records of any account (one account).
   */
  account?: { id: string; isDefault: boolean } | null;
}

/** The records of the account being refreshed (the default account also owns rows from before accounts). */
function accountScope(account: Deps["account"]): Prisma.ApiKeyWhereInput {
  if (!account) return {};
  return account.isDefault ? { OR: [{ accountId: account.id }, { accountId: null }] } : { accountId: account.id };
}

export async function refreshInventory(deps: Deps): Promise<RefreshSummary> {
  const now = deps.now();
  const calls: RefreshCalls = { ListServiceSpecificCredentials: 0, ListUsers: 0, ListUserTags: 0 };
  const inAccount = accountScope(deps.account);
  // Snapshot the records *before* listing IAM: a key issued while the listing runs is then
  // neither in the snapshot nor (possibly) in the listing, instead of looking deleted.
  const known = await deps.db.apiKey.findMany({
    where: { AND: [{ credentialId: { not: null } }, inAccount] },
    select: { id: true, credentialId: true, status: true, expiresAt: true, awsCreatedAt: true, state: true, name: true, teamId: true },
  });
  const issuing = await deps.db.apiKey.findMany({ where: { AND: [{ state: "issuing" }, inAccount] }, select: { id: true, iamUserName: true, createdAt: true } });
  const listed = await listBedrockCredentials(deps.iam, now);
  calls.ListServiceSpecificCredentials = listed.calls;
  const byCredential = new Map(known.map((k) => [k.credentialId!, k]));
  // Rotations in progress (issue 16), read after the listing so one started meanwhile is seen: the
  // old credential of an overlap belongs to its key, and a user whose second credential is being
  // created has it saved by the rotation itself — neither is a new, unmanaged key.
  const rotating = await deps.db.keyRotation.findMany({
    // A "creating" row older than an abandoned issuance belongs to a crashed rotation: a credential
    // it left behind is listed like any other (unmanaged; the key page offers to delete it).
    where: { OR: [{ state: "overlap" }, { state: "creating", updatedAt: { gt: new Date(now.getTime() - ABANDONED_ISSUE_MS) } }] },
    select: { oldCredentialId: true, newCredentialId: true, iamUserName: true, state: true },
  });
  const rotationCredentials = new Set(rotating.flatMap((r) => [r.oldCredentialId, r.newCredentialId ?? ""]));
  const creatingUsers = new Set(rotating.filter((r) => r.state === "creating").map((r) => r.iamUserName));
  const issuingByUser = new Map(issuing.map((k) => [k.iamUserName, k]));

  // Each update is conditional on the row still being as read: a lifecycle operation that changed
  // it meanwhile (under its key lock) wins, and the next refresh reconciles.
  const updates: { where: Prisma.ApiKeyWhereInput; data: Prisma.ApiKeyUpdateManyMutationInput }[] = [];
  const fresh: BedrockCredential[] = [];
  for (const c of listed.items) {
    const row = byCredential.get(c.credentialId);
    if (row) {
      const data = changes(row, c);
      if (data) updates.push({ where: { id: row.id, credentialId: c.credentialId, state: row.state, status: row.status }, data });
      continue;
    }
    if (rotationCredentials.has(c.credentialId) || creatingUsers.has(c.userName)) continue;
    const pending = issuingByUser.get(c.userName);
    if (pending) {
      // An issuance in progress saves the credential itself; a crashed one is completed here.
      if (now.getTime() - pending.createdAt.getTime() > ABANDONED_ISSUE_MS) {
        updates.push({ where: { id: pending.id, state: "issuing" }, data: { credentialId: c.credentialId, ...credentialFields(c), state: "present" } });
      }
      continue;
    }
    fresh.push(c);
  }

  // Users under the console's path: to tell console-made users from others, and to find the ones
  // left without any credential (an unfinished clean-up), which no credential listing shows.
  const consoleUsers = await listUserNamesUnderPath(deps.iam, deps.keyIamPath);
  calls.ListUsers += consoleUsers.calls;
  const underPath = new Set(consoleUsers.items);
  const creates = fresh.length ? await describeNewKeys(deps, fresh, underPath, calls) : [];
  const seen = new Set(listed.items.map((c) => c.credentialId));
  const gone = known.filter((k) => k.state === "present" && !seen.has(k.credentialId!));

  let created = 0;
  const markedGone = new Set<string>();
  await deps.db.$transaction(
    async (tx) => {
      for (let i = 0; i < creates.length; i += CHUNK) {
        // An issuance may have saved one of these keys since the snapshot: it keeps its record.
        const chunk = creates.slice(i, i + CHUNK);
        const taken = new Set(
          (await tx.apiKey.findMany({ where: { credentialId: { in: chunk.map((c) => c.credentialId!) } }, select: { credentialId: true } })).map(
            (r) => r.credentialId,
          ),
        );
        const data = chunk.filter((c) => !taken.has(c.credentialId!));
        if (data.length) created += (await tx.apiKey.createMany({ data })).count;
      }
      for (const u of updates) await tx.apiKey.updateMany({ where: u.where, data: u.data });
      for (let i = 0; i < gone.length; i += CHUNK) {
        const chunk = gone.slice(i, i + CHUNK);
        // Only rows still on the credential that was missing: a rotation may have moved a key to
        // its new credential (and deleted the old one) since the snapshot.
        const still = await tx.apiKey.findMany({
          where: { id: { in: chunk.map((g) => g.id) }, credentialId: { in: chunk.map((g) => g.credentialId!) }, state: "present" },
          select: { id: true },
        });
        if (still.length === 0) continue;
        const ids = still.map((r) => r.id);
        await tx.apiKey.updateMany({ where: { id: { in: ids }, state: "present" }, data: { state: "gone", removedAt: now } });
        for (const id of ids) markedGone.add(id);
      }
    },
    { timeout: 60_000 },
  );

  const orphans = await recordOrphanUsers(deps, underPath, listed.items, now);
  if (deps.account) {
    // Rows from before accounts, now known to be in the default account.
    if (deps.account.isDefault) await deps.db.apiKey.updateMany({ where: { accountId: null, state: { not: "issuing" } }, data: { accountId: deps.account.id } });
  }

  const totalCalls = calls.ListServiceSpecificCredentials + calls.ListUsers + calls.ListUserTags;
  return {
    listed: listed.items.length,
    created,
    updated: updates.length,
    gone: gone.filter((g) => markedGone.has(g.id)).map((g) => ({ id: g.id, name: g.name, teamId: g.teamId })),
    relinked: creates.filter((c) => c.managed).length,
    orphans,
    calls,
    totalCalls,
  };
}

/**
 * Users under KEY_IAM_PATH that hold no credential are orphans of an unfinished clean-up. Users of
 * an issuance still in progress are skipped (their credential comes next), and the clean-up
 * re-reads the user's credentials before deleting anything.
 */
async function recordOrphanUsers(deps: Deps, underPath: Set<string>, credentials: BedrockCredential[], now: Date): Promise<number> {
  const holding = new Set(credentials.map((c) => c.userName));
  const candidates = [...underPath].filter((u) => !holding.has(u));
  if (candidates.length === 0) return 0;
  const busy = new Set(
    (
      await deps.db.apiKey.findMany({
        where: { iamUserName: { in: candidates }, state: "issuing", createdAt: { gt: new Date(now.getTime() - ABANDONED_ISSUE_MS) } },
        select: { iamUserName: true },
      })
    ).map((k) => k.iamUserName),
  );
  const known = new Set((await deps.db.keyCleanup.findMany({ where: { iamUserName: { in: candidates } }, select: { iamUserName: true } })).map((c) => c.iamUserName));
  const found = candidates.filter((u) => !busy.has(u) && !known.has(u));
  for (const iamUserName of found) await recordCleanup(deps.db, { iamUserName, apiKeyId: null, accountId: deps.account?.id ?? null, reason: "foundByRefresh", now });
  return found.length;
}

function credentialFields(c: BedrockCredential) {
  return { iamUserName: c.userName, status: c.status, expiresAt: c.expiresAt, awsCreatedAt: c.createdAt };
}

type KnownRow = { status: string; expiresAt: Date | null; awsCreatedAt: Date | null; state: string };

/** Only what changed, so a steady-state refresh writes nothing. */
function changes(row: KnownRow, c: BedrockCredential): Prisma.ApiKeyUpdateInput | null {
  const data: Prisma.ApiKeyUpdateInput = {};
  if (row.status !== c.status) data.status = c.status;
  if ((row.expiresAt?.getTime() ?? null) !== (c.expiresAt?.getTime() ?? null)) data.expiresAt = c.expiresAt;
  if ((row.awsCreatedAt?.getTime() ?? null) !== c.createdAt.getTime()) data.awsCreatedAt = c.createdAt;
  // Listed again after being marked gone (e.g. IAM's list lagged behind): it exists after all.
  if (row.state === "gone") Object.assign(data, { state: "present", removedAt: null });
  return Object.keys(data).length ? data : null;
}

/**
 * Records for keys seen for the first time. Users under the console's IAM path get their tags
 * read, so a key the console made is linked back to its owner and team; any other key is
 * unmanaged (adoptable by an admin).
 */
async function describeNewKeys(deps: Deps, fresh: BedrockCredential[], underPath: Set<string>, calls: RefreshCalls): Promise<Prisma.ApiKeyCreateManyInput[]> {
  const tagsByUser = new Map<string, Record<string, string>>();
  const toRead = [...new Set(fresh.map((c) => c.userName))].filter((u) => underPath.has(u));
  // A few at a time: quicker than one by one, gentle on IAM's rate limits (throttling is retried).
  let next = 0;
  const worker = async () => {
    while (next < toRead.length) {
      const userName = toRead[next++]!;
      calls.ListUserTags++;
      try {
        tagsByUser.set(userName, await listUserTags(deps.iam, userName));
      } catch (error) {
        if (!isAwsKind(error, "NotFound")) throw error; // deleted since the listing: nothing to link
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAG_READERS, toRead.length) }, worker));
  const owners = await lookupByTag(deps.db, tagsByUser);
  return fresh.map((c) => {
    const tags = tagsByUser.get(c.userName);
    const base = { credentialId: c.credentialId, accountId: deps.account?.id ?? null, ...credentialFields(c), name: c.userName, state: "present" };
    if (!tags?.["console-key-id"]) return { ...base, managed: false, consoleUser: false };
    const ownerId = owners.users.get(tags.owner ?? "") ?? null;
    const teamId = owners.teams.get(tags.team ?? "") ?? null;
    return {
      ...base,
      name: tags.name || c.userName,
      purpose: tags.purpose ?? "",
      ownerId,
      teamId,
      // Linked only when the owner still exists; otherwise an admin adopts it.
      managed: ownerId !== null && teamId !== null,
      consoleUser: true,
      createdByEmail: tags["created-by"] ?? null,
    };
  });
}

async function lookupByTag(db: PrismaClient, tagsByUser: Map<string, Record<string, string>>) {
  const emails = [...new Set([...tagsByUser.values()].map((t) => t.owner).filter((v): v is string => !!v))];
  const teamNames = [...new Set([...tagsByUser.values()].map((t) => t.team).filter((v): v is string => !!v))];
  const [users, teams] = await Promise.all([
    emails.length ? db.user.findMany({ where: { email: { in: emails }, active: true }, select: { id: true, email: true } }) : [],
    teamNames.length ? db.team.findMany({ where: { name: { in: teamNames } }, select: { id: true, name: true } }) : [],
  ]);
  return { users: new Map(users.map((u) => [u.email, u.id])), teams: new Map(teams.map((t) => [t.name, t.id])) };
}
