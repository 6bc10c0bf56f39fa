import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// TEST_DATABASE=postgresql (npm test's unit-pg stage) runs the database tests on a throw-away
// PostgreSQL cluster, plus the *.pg.test.ts files that only mean something there (concurrency
// across connections and processes). See docs/testing.md.
const postgres = process.env.TEST_DATABASE === "postgresql";

export default defineConfig({
  resolve: {
    alias: {
      "@": here("./"),
      "server-only": here("./lib/testing/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["{app,components,lib,sandbox,scripts,prisma,bench}/**/*.test.{ts,tsx}"],
    exclude: ["node_modules/**", ".next/**", "tests/**", "data/**", ...(postgres ? [] : ["**/*.pg.test.ts"])],
    globalSetup: ["tests/support/vitest-pg.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker per core but one, i.e. a single worker on a 2-core CI
    // machine. Most integration files spend much of their time waiting on a sandbox, a database
    // server or a child process, so two workers there keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The audit chain is keyed (lib/audit/key.ts), from AUDIT_HMAC_KEY or AUTH_SECRET as in
    // production: tests that append audit entries need one, a test-only value.
    env: { AUTH_SECRET: "vitest-only-auth-secret-not-used-anywhere-else" },
  },
});
