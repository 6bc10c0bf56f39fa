import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyPgDatabase } from "@/lib/testing/test-db";

const root = path.resolve(import.meta.dirname, "../..");

function prisma(args: string[], databaseUrl: string) {
  const result = spawnSync(path.join(root, "node_modules/.bin/prisma"), args, {
    cwd: root,
    encoding: "utf8",
    // eslint-disable-next-line no-restricted-properties -- a test running the Prisma CLI as a user would
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` };
}

describe("PostgreSQL migrations (npm run db:migrate)", () => {
  let target: Awaited<ReturnType<typeof createEmptyPgDatabase>>;
  beforeAll(async () => {
    target = await createEmptyPgDatabase();
  });
  afterAll(async () => {
    await target.drop();
  });

  it("prisma.config.ts picks the PostgreSQL migrations for a postgresql:// URL and deploys them into an empty database", () => {
    const deploy = prisma(["migrate", "deploy"], target.url);
    expect(deploy.out).toContain("_baseline"); // the PostgreSQL folder's baseline, not the SQLite migrations
    expect(deploy.out).not.toContain("_init");
    expect(deploy.code, deploy.out).toBe(0);
    const status = prisma(["migrate", "status"], target.url);
    expect(status.out).toMatch(/Database schema is up to date/);
    expect(status.code, status.out).toBe(0);
  });

  it("the migrated database is exactly prisma/postgresql/schema.prisma (no drift between twins and schema)", () => {
    const diff = prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/postgresql/schema.prisma", "--exit-code"], target.url);
    expect(diff.code, diff.out).toBe(0);
  });
});
