import path from "node:path";
import { verifyAuditChain } from "@/lib/audit/service";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { committedMigrations } from "@/lib/ops/health";
import { providerOfClient, resetIdSequence } from "./dialect";
import { loadModels, type ModelInfo } from "./model-graph";

export interface CopyProgress {
  (event: { model: string; copied: number; total: number }): void;
}

export interface CopyResult {
  tables: { model: string; rows: number }[];
  audit: { ok: boolean; count: number };
  ms: number;
}

export class CopyRefused extends Error {
  override name = "CopyRefused";
}

type Delegate = {
  count(args?: object): Promise<number>;
  findMany(args: object): Promise<Record<string, unknown>[]>;
  createMany(args: { data: Record<string, unknown>[] }): Promise<{ count: number }>;
};

const delegate = (db: PrismaClient, m: ModelInfo) => (db as unknown as Record<string, Delegate>)[m.delegate]!;

async function appliedMigrations(db: PrismaClient): Promise<Set<string> | null> {
  try {
    const rows = await db.$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return null;
  }
}

/**
 * Copies every row of a console database into another, empty one of the same schema version:
 * the move from SQLite to PostgreSQL (`npm run db:copy`). Models are copied in foreign-key order,
 * in batches (keyset pagination where the key is one column), through the two Prisma clients, so
 * each value is converted by Prisma (dates, booleans) exactly as the app would write it. Then id
 * sequences are moved past the copied ids, row counts are compared and the audit chain is
 * verified on the target: a copy that does not verify is reported as failed.
 *
 * Refuses (changing nothing) when the source has migrations the code does not know or lacks
 * some, or when the target already holds any row. The target must be migrated first
 * (`npm run db:migrate` with its URL; scripts/db-copy.ts does that).
 */
export async function copyDatabase(
  source: PrismaClient,
  target: PrismaClient,
  options: { root: string; batchSize?: number; onProgress?: CopyProgress },
): Promise<CopyResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 2_000;
  const models = loadModels(path.join(options.root, "prisma/schema.prisma"));

  for (const [label, db] of [["source", source], ["target", target]] as const) {
    const applied = await appliedMigrations(db);
    const missing = committedMigrations(db, options.root).filter((n) => !applied?.has(n));
    if (!applied || missing.length > 0) {
      throw new CopyRefused(`the ${label} database is not migrated to this version (${missing.length || "no"} migration(s) missing): run \`npm run db:migrate\` with its URL first`);
    }
  }
  for (const m of models) {
    if ((await delegate(target, m).count()) > 0) {
      throw new CopyRefused(`the target database is not empty (${m.name} has rows); copy only into a freshly migrated, empty database`);
    }
  }

  const tables: CopyResult["tables"] = [];
  for (const m of models) {
    const from = delegate(source, m);
    const to = delegate(target, m);
    const total = await from.count();
    const orderBy = m.primaryKey.map((f) => ({ [f]: "asc" }));
    const keyset = m.primaryKey.length === 1 ? m.primaryKey[0]! : null;
    let copied = 0;
    let last: unknown = undefined;
    for (;;) {
      const rows = keyset
        ? await from.findMany({ where: last === undefined ? {} : { [keyset]: { gt: last } }, orderBy, take: batchSize })
        : await from.findMany({ orderBy, skip: copied, take: batchSize });
      if (rows.length === 0) break;
      await to.createMany({ data: rows });
      copied += rows.length;
      if (keyset) last = rows[rows.length - 1]![keyset];
      options.onProgress?.({ model: m.name, copied, total });
      if (rows.length < batchSize) break;
    }
    if (m.autoincrement) await resetIdSequence(target, m.name);
    const landed = await to.count();
    if (landed !== total) throw new Error(`${m.name}: copied ${landed} rows of ${total}`);
    tables.push({ model: m.name, rows: total });
  }

  const audit = await verifyAuditChain(target);
  return { tables, audit: { ok: audit.ok, count: audit.count }, ms: Date.now() - started };
}

export { providerOfClient };
