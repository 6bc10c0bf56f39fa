import { effectiveStatus, type KeyStatus } from "@/lib/aws/iam-mapping";
import { containsIgnoringCase } from "@/lib/db/dialect";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { csvRow } from "@/lib/csv/writer";
import { keyCosts30, type KeyCost30 } from "@/lib/cost/queries";
import { OPEN_ROTATION_STATES, type OpenRotationState } from "./rotation-states";
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

/** Orders the database can apply itself (cost is not a column of the key: listByCost). */
function orderBy(sort: Exclude<KeyFilters["sort"], "cost30d">, dir: KeyFilters["dir"]): Prisma.ApiKeyOrderByWithRelationInput[] {
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
  /** Tokens' cost over the last 30 UTC days (issue 15); null when no call was logged */
  cost30d: KeyCost30 | null;
  /**
   * An unfinished rotation (issue 16): waiting for the owner to pick the new secret up, or both
   * credentials working until `graceEndsAt`. Null when the key is not being rotated.
   */
  rotation: { state: OpenRotationState; graceEndsAt: string | null } | null;
  /** What the viewer may do with this key right now (the actions check again on the server). */
  can: { disable: boolean; enable: boolean; reset: boolean; delete: boolean; adopt: boolean };
}

export type KeyRotationMark = KeyListItem["rotation"];

export function toListItem(actor: KeyActor, row: ListRow, now: Date, cost30d: KeyCost30 | null = null, rotation: KeyRotationMark = null): KeyListItem {
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
    cost30d,
    rotation,
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
  const page = async (rows: ListRow[], total: number, costs: Map<string, KeyCost30>) => {
    const rotations = await openRotations(db, rows.map((r) => r.id));
    return {
      total,
      page: filters.page,
      pageSize: filters.pageSize,
      pages: Math.max(1, Math.ceil(total / filters.pageSize)),
      rows: rows.map((r) => toListItem(actor, r, now, costs.get(r.iamUserName) ?? null, rotations.get(r.id) ?? null)),
    };
  };
  if (filters.sort === "cost30d") return listByCost(db, actor, where, filters, now, page);
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
  // The page's keys' cost in one grouped query, not one per row.
  return page(rows, total, await keyCosts30(db, [...new Set(rows.map((r) => r.iamUserName))], now));
}

/** The page's keys' unfinished rotations, in one query (at most one open rotation per key). */
async function openRotations(db: PrismaClient, keyIds: string[]): Promise<Map<string, NonNullable<KeyRotationMark>>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db.keyRotation.findMany({
    where: { apiKeyId: { in: keyIds }, state: { in: [...OPEN_ROTATION_STATES] } },
    select: { apiKeyId: true, state: true, graceEndsAt: true },
  });
  return new Map(rows.map((r) => [r.apiKeyId, { state: r.state as OpenRotationState, graceEndsAt: r.graceEndsAt?.toISOString() ?? null }]));
}

/**
 * Sorted by cost (issue 15): the cost lives in the cost rollups, not on the key, so the order is
 * made in memory from one grouped query over every key's 30 days and the matching keys' ids
 * (an inventory is thousands of keys, not millions); then only the page's rows are read.
 */
async function listByCost<T>(
  db: PrismaClient,
  actor: KeyActor,
  where: Prisma.ApiKeyWhereInput,
  filters: KeyFilters,
  now: Date,
  page: (rows: ListRow[], total: number, costs: Map<string, KeyCost30>) => T,
): Promise<T> {
  const [ids, costs] = await Promise.all([db.apiKey.findMany({ where, select: { id: true, iamUserName: true } }), keyCosts30(db, null, now)]);
  const sign = filters.dir === "desc" ? -1 : 1;
  const none: KeyCost30 = { costUsd: 0, unpricedCalls: 0, calls: 0 };
  const cost = (n: string) => costs.get(n) ?? none;
  ids.sort((a, b) => {
    const x = cost(a.iamUserName);
    const y = cost(b.iamUserName);
    return sign * (x.costUsd - y.costUsd || x.unpricedCalls - y.unpricedCalls || x.calls - y.calls || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
  const pageIds = ids.slice((filters.page - 1) * filters.pageSize, filters.page * filters.pageSize).map((k) => k.id);
  const rows = await db.apiKey.findMany({ where: { id: { in: pageIds } }, select: listSelect });
  const order = new Map(pageIds.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return page(rows, ids.length, costs);
}

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
