import { readdirSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { providerOfClient } from "@/lib/db/dialect";
import { isDraining } from "./lifecycle";

/**
 * Health for load balancers and monitoring, cheap and free of secrets: no error messages, hosts,
 * account ids or versions of anything, only which check failed and a short reason.
 *
 * - database: `SELECT 1` answers (within 2 s);
 * - migrations: every committed migration of this database's provider is applied (a deploy
 *   whose `npm run db:migrate` has not run yet is not healthy: its queries would fail);
 * - aws: STS GetCallerIdentity answers with the configured credentials, checked at most once a
 *   minute per process. An AWS outage does not make the console unhealthy (every instance would
 *   fail alike, and pulling all of them helps nobody): it shows as "degraded".
 */
export type Check = { ok: true; ms?: number } | { ok: false; reason: "unreachable" | "timeout" | "pending" | "unknown" };

export interface HealthReport {
  status: "ok" | "degraded" | "fail";
  /** Whether this instance should get traffic: healthy and not shutting down. */
  ready: boolean;
  draining: boolean;
  checks: { database: Check; migrations: Check & { pending?: number }; aws: Check & { checkedAt?: string } };
}

export interface HealthDeps {
  db: PrismaClient;
  /** Resolves when AWS answers with our credentials; rejects otherwise. */
  awsProbe: () => Promise<unknown>;
  /** Project root, where prisma/ is (the committed migrations). */
  root: string;
}

const DB_TIMEOUT_MS = 2_000;
const AWS_TIMEOUT_MS = 3_000;
const AWS_TTL_MS = 60_000;
const MIGRATIONS_TTL_MS = 30_000;

const g = globalThis as unknown as {
  __consoleHealth?: { aws?: { at: number; check: Check & { checkedAt?: string } }; awsPending?: Promise<void>; migrations?: { at: number; check: Check & { pending?: number } } };
};
const cache = () => (g.__consoleHealth ??= {});

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class TimeoutError extends Error {}

const failure = (error: unknown): Check => ({ ok: false, reason: error instanceof TimeoutError ? "timeout" : "unreachable" });

async function checkDatabase(db: PrismaClient): Promise<Check> {
  const started = Date.now();
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, DB_TIMEOUT_MS);
    return { ok: true, ms: Date.now() - started };
  } catch (error) {
    return failure(error);
  }
}

/** The committed migrations of the client's provider (folder names, as `_prisma_migrations` records them). */
export function committedMigrations(db: PrismaClient, root: string): string[] {
  const dir = providerOfClient(db) === "postgresql" ? "prisma/postgresql/migrations" : "prisma/migrations";
  return readdirSync(/*turbopackIgnore: true*/ path.join(root, dir)).filter((n) => /^\d{14}_/.test(n));
}

async function checkMigrations(db: PrismaClient, root: string): Promise<Check & { pending?: number }> {
  const cached = cache().migrations;
  if (cached?.check.ok && Date.now() - cached.at < MIGRATIONS_TTL_MS) return cached.check;
  let check: Check & { pending?: number };
  try {
    const applied = await withTimeout(
      db.$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
      DB_TIMEOUT_MS,
    );
    const done = new Set(applied.map((r) => r.migration_name));
    const pending = committedMigrations(db, root).filter((n) => !done.has(n)).length;
    check = pending === 0 ? { ok: true, pending } : { ok: false, reason: "pending", pending };
  } catch (error) {
    // No _prisma_migrations table (never migrated) or no database: either way not current.
    check = error instanceof TimeoutError ? failure(error) : { ok: false, reason: "unknown" };
  }
  cache().migrations = { at: Date.now(), check };
  return check;
}

async function checkAws(probe: () => Promise<unknown>): Promise<Check & { checkedAt?: string }> {
  const c = cache();
  if (!c.aws || Date.now() - c.aws.at >= AWS_TTL_MS) {
    // One probe at a time however many health requests arrive together.
    c.awsPending ??= (async () => {
      let check: Check;
      try {
        await withTimeout(probe(), AWS_TIMEOUT_MS);
        check = { ok: true };
      } catch (error) {
        check = failure(error);
      }
      c.aws = { at: Date.now(), check: { ...check, checkedAt: new Date().toISOString() } };
    })().finally(() => {
      c.awsPending = undefined;
    });
    await c.awsPending;
  }
  return c.aws!.check;
}

export async function healthReport(deps: HealthDeps): Promise<HealthReport> {
  const [database, aws] = await Promise.all([checkDatabase(deps.db), checkAws(deps.awsProbe)]);
  const migrations: HealthReport["checks"]["migrations"] = database.ok ? await checkMigrations(deps.db, deps.root) : { ok: false, reason: "unknown" };
  const healthy = database.ok && migrations.ok;
  const draining = isDraining();
  return {
    status: !healthy ? "fail" : aws.ok ? "ok" : "degraded",
    ready: healthy && !draining,
    draining,
    checks: { database, migrations, aws },
  };
}

/** Tests only: forget cached AWS and migration results. */
export function resetHealthCacheForTests(): void {
  g.__consoleHealth = {};
}
