import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { missingTwins } from "@/scripts/db-migration.mjs";
import { derivePgSchema, PG_SCHEMA, SQLITE_SCHEMA } from "@/scripts/db-schema-pg.mjs";
import { pgPoolConfig } from "./client";
import { providerOf } from "./dialect";

/** model name → field lines (name and type), comments and blank lines dropped. */
function models(schema: string) {
  const out = new Map<string, string[]>();
  for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = m[2]!
      .split("\n")
      .map((l) => l.replace(/\/\/.*$/, "").trim())
      .filter(Boolean);
    out.set(m[1]!, fields);
  }
  return out;
}

describe("one schema, two providers", () => {
  it("the committed PostgreSQL schema is the one derived from prisma/schema.prisma (run `npm run db:migration` if not)", () => {
    expect(readFileSync(PG_SCHEMA, "utf8")).toBe(derivePgSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
  });

  it("both schemas have the same models with the same fields; only the provider and client output differ", () => {
    const sqlite = readFileSync(SQLITE_SCHEMA, "utf8");
    const pg = readFileSync(PG_SCHEMA, "utf8");
    expect(models(pg)).toEqual(models(sqlite));
    expect(models(sqlite).size).toBeGreaterThan(20);
    expect(pg).toMatch(/provider = "postgresql"/);
    expect(pg).toMatch(/output\s+= "\.\.\/\.\.\/lib\/generated\/prisma-pg"/);
  });

  it("every SQLite migration has its PostgreSQL twin (run `npm run db:migration` if not)", () => {
    expect(missingTwins()).toEqual([]);
  });

  it("refuses types that would not mean the same on PostgreSQL", () => {
    const source = readFileSync(SQLITE_SCHEMA, "utf8");
    expect(() => derivePgSchema(source.replace("model Team {", "model Team {\n  blob Bytes?"))).toThrow(/Bytes/);
    expect(() => derivePgSchema(source.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/provider = "sqlite"/);
  });
});

describe("database URLs", () => {
  it("picks the provider by URL scheme", () => {
    expect(providerOf("file:./data/console.db")).toBe("sqlite");
    expect(providerOf("postgresql://u:p@h:5432/db")).toBe("postgresql");
    expect(providerOf("postgres://u@h/db")).toBe("postgresql");
    expect(() => providerOf("mysql://h/db")).toThrow(/DATABASE_URL/);
  });

  it("PostgreSQL: pool size, schema on the search_path, sslmode from the URL", () => {
    const { pool, schema } = pgPoolConfig("postgresql://console:s3cret@db.internal:6543/console?schema=bkc&sslmode=no-verify", { poolSize: 7 });
    expect(schema).toBe("bkc");
    expect(pool).toMatchObject({ host: "db.internal", port: 6543, user: "console", password: "s3cret", database: "console", max: 7 });
    expect(pool.options).toBe('-c search_path="bkc"');
    expect(pool.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(pgPoolConfig("postgresql://h/db?sslmode=disable").pool.ssl).toBe(false);
    expect(pgPoolConfig("postgresql://h/db").pool.max).toBe(10);
  });

  it("PostgreSQL: DATABASE_CA_FILE turns on verified TLS with that bundle, and contradicts sslmode=disable", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bkc-ca-"));
    try {
      const ca = path.join(dir, "ca.pem");
      writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
      expect(pgPoolConfig("postgresql://h/db", { caFile: ca }).pool.ssl).toEqual({
        ca: readFileSync(ca, "utf8"),
        rejectUnauthorized: true,
      });
      expect(() => pgPoolConfig("postgresql://h/db?sslmode=disable", { caFile: ca })).toThrow(/sslmode=disable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
