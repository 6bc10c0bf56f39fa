import { effectiveStatus, type KeyStatus } from "@/lib/aws/iam-mapping";
import { containsIgnoringCase } from "@/lib/db/dialect";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { csvRow } from "@/lib/csv/writer";
import type { KeyFilters } from "./schemas";
import { keyReadScope, VISIBLE_STATES } from "./scope";
import type { KeyActor } from "./types";

/**
 * The inventory page's data, from the database only (never IAM), scoped by role inside the
 * query. Dates are ISO strings so rows pass straight to client components.
 */

const DAY_MS = 86_400_000;

/** `db` decides how the search box ignores case (lib/db/dialect.ts); filters without `q` do not need it. */
export function keyWhere(
  actor: KeyActor,
  f: Omit<KeyFilters, "page" | "pageSize" | "sort" | "dir">,
  now: Date,
  db?: PrismaClient,
): Prisma.ApiKeyWhereInput {
  const and: Prisma.ApiKeyWhereInput[] = [keyReadScope(actor)];
  and.push(
    f.presence === "present"
      ? { state: "present" }
      : f.presence === "removed"
        ? { state: { in: ["gone", "deleted"] } }
        : { state: { in: VISIBLE_STATES } },
  );
  const notExpired: Prisma.ApiKeyWhereInput = { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  if (f.status === "Expired") and.push({ OR: [{ status: "Expired" }, { expiresAt: { lte: now } }] });
  else if (f.status) and.push({ status: f.status }, notExpired);
  if (f.teamId) and.push({ teamId: f.teamId });
  if (f.ownerId) and.push({ ownerId: f.ownerId });
  if (f.expiringWithinDays !== undefined) {
    and.push({ expiresAt: { gt: now, lte: new Date(now.getTime() + f.expiringWithinDays * DAY_MS) } });
  }
  if (f.unusedForDays !== undefined) {
    // Without recorded use, a key counts as unused only once it is older than the window.
    const cutoff = new Date(now.getTime() - f.unusedForDays * DAY_MS);
    and.push({ OR: [{ lastUsedAt: { lt: cutoff } }, { lastUsedAt: null, awsCreatedAt: { lt: cutoff } }] });
  }
  if (f.managed) and.push({ managed: f.managed === "managed" });
  if (f.accountId) and.push({ accountId: f.accountId });
  if (f.q) {
    const q = f.q;
    if (!db) throw new Error("keyWhere: a search (q) needs the database client");
    const like = containsIgnoringCase(db, q);
    and.push({
      OR: [
        { name: like },
        { iamUserName: like },
        { purpose: like },
        { credentialId: q },
        { owner: { is: { email: containsIgnoringCase(db, q.toLowerCase()) } } },
        { owner: { is: { name: like } } },
      ],
    });
  }
  return { AND: and };
}

function orderBy(sort: KeyFilters["sort"], dir: KeyFilters["dir"]): Prisma.ApiKeyOrderByWithRelationInput[] {
  const nullsLast = { sort: dir, nulls: "last" } as const;
  const primary: Prisma.ApiKeyOrderByWithRelationInput =
    sort === "owner"
      ? { owner: { name: dir } }
      : sort === "team"
        ? { team: { name: dir } }
        : sort === "createdAt"
          ? { awsCreatedAt: nullsLast }
          : sort === "expiresAt"
            ? { expiresAt: nullsLast }
            : sort === "lastUsedAt"
              ? { lastUsedAt: nullsLast }
              : { [sort]: dir };
  return [primary, { id: dir }];
}

export const listSelect = {
  id: true,
  name: true,
  iamUserName: true,
  credentialId: true,
  purpose: true,
  managed: true,
  status: true,
  state: true,
  teamId: true,
  awsCreatedAt: true,
  expiresAt: true,
  lastUsedAt: true,
  owner: { select: { id: true, name: true, email: true } },
  team: { select: { id: true, name: true } },
  account: { select: { id: true, name: true } },
} as const satisfies Prisma.ApiKeySelect;

type ListRow = Prisma.ApiKeyGetPayload<{ select: typeof listSelect }>;

export interface KeyListItem {
  id: string;
  name: string;
  iamUserName: string;
  credentialId: string | null;
  purpose: string;
  owner: { id: string; name: string; email: string } | null;
  team: { id: string; name: string } | null;
  /** The AWS account the key lives in (issue 14); null on a row from before accounts. */
  account: { id: string; name: string } | null;
  managed: boolean;
  status: KeyStatus;
  /** present | gone (deleted outside the console) | deleted (through the console) */
  state: string;
  createdAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** What the viewer may do with this key right now (the actions check again on the server). */
  can: { disable: boolean; enable: boolean; reset: boolean; delete: boolean; adopt: boolean };
}

export function toListItem(actor: KeyActor, row: ListRow, now: Date): KeyListItem {
  const status = effectiveStatus(row.status, row.expiresAt, now);
  const present = row.state === "present";
  const admin = actor.role === "admin";
  const statusWriter = admin || (actor.role === "lead" && row.teamId !== null && actor.ledTeamIds.includes(row.teamId));
  return {
    id: row.id,
    name: row.name,
    iamUserName: row.iamUserName,
    credentialId: row.credentialId,
    purpose: row.purpose,
    owner: row.owner,
    team: row.team,
    account: row.account,
    managed: row.managed,
    status,
    state: row.state,
    createdAt: row.awsCreatedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    can: {
      disable: present && statusWriter && status === "Active",
      enable: present && statusWriter && status === "Inactive",
      reset: present && admin && status !== "Expired",
      delete: present && admin && status !== "Active",
      adopt: present && admin && !row.managed,
    },
  };
}

export async function listKeys(db: PrismaClient, actor: KeyActor, filters: KeyFilters, now: Date = new Date()) {
  const where = keyWhere(actor, filters, now, db);
  const [total, rows] = await Promise.all([
    db.apiKey.count({ where }),
    db.apiKey.findMany({
      where,
      orderBy: orderBy(filters.sort, filters.dir),
      skip: (filters.page - 1) * filters.pageSize,
      take: filters.pageSize,
      select: listSelect,
    }),
  ]);
  return {
    total,
    page: filters.page,
    pageSize: filters.pageSize,
    pages: Math.max(1, Math.ceil(total / filters.pageSize)),
    rows: rows.map((r) => toListItem(actor, r, now)),
  };
}

/** Teams and owners the viewer can filter by (only what their scope can contain). */
export async function keyFilterOptions(db: PrismaClient, actor: KeyActor) {
  if (actor.role === "developer") return { teams: [], owners: [], accounts: [] };
  const teamWhere: Prisma.TeamWhereInput = actor.role === "admin" ? {} : { id: { in: actor.ledTeamIds } };
  const [teams, owners] = await Promise.all([
    db.team.findMany({ where: teamWhere, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.user.findMany({
      where: { ownedApiKeys: { some: keyReadScope(actor) } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, email: true },
    }),
  ]);
  // Accounts the viewer's keys are in (a lead sees only the accounts of their teams' keys).
  const accounts = await db.awsAccount.findMany({ where: { apiKeys: { some: keyReadScope(actor) } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return { teams, owners, accounts: accounts.length > 1 ? accounts : [] };
}

export const KEYS_CSV_FILE_NAME = "bedrock-keys.csv";
const CSV_HEADER = ["name", "iam_user", "credential_id", "owner", "team", "status", "managed", "state", "created", "expires", "last_used", "purpose", "account_id", "account"];

/**
 * The filtered inventory as CSV, streamed in batches (constant memory for any inventory size).
 * Serve it from a route handler: `new Response(exportKeysCsv(...), { headers })`.
 */
export function exportKeysCsv(db: PrismaClient, actor: KeyActor, filters: KeyFilters, now: Date = new Date(), batchSize = 500): ReadableStream<Uint8Array> {
  const where = keyWhere(actor, filters, now, db);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRow(CSV_HEADER)));
        return;
      }
      const rows = await db.apiKey.findMany({
        where,
        orderBy: { id: "asc" },
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        select: listSelect,
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      cursor = rows[rows.length - 1]!.id;
      const text = rows
        .map((r) => {
          const item = toListItem(actor, r, now);
          return csvRow([
            item.name,
            item.iamUserName,
            item.credentialId,
            item.owner?.email,
            item.team?.name,
            item.status,
            item.managed ? "managed" : "unmanaged",
            item.state,
            item.createdAt,
            item.expiresAt,
            item.lastUsedAt,
            item.purpose,
            item.account?.id,
            item.account?.name,
          ]);
        })
        .join("");
      controller.enqueue(encoder.encode(text));
    },
  });
}
