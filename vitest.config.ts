import { globSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// TEST_DATABASE=postgresql (npm test's unit-pg stage) runs the database tests on a throw-away
// PostgreSQL cluster, plus the *.pg.test.ts files that only mean something there (concurrency
// across connections and processes). See docs/testing.md.
const postgres = process.env.TEST_DATABASE === "postgresql";

const INCLUDE = ["{app,components,lib,sandbox,scripts,prisma,bench}/**/*.test.{ts,tsx}"];
const EXCLUDE = ["node_modules/**", ".next/**", "tests/**", "data/**", ...(postgres ? [] : ["**/*.pg.test.ts"])];
// Files that replace modules (vi.mock, vi.doMock) need a fresh module registry of their own: a
// module another file loaded first would keep the real one. The rest share one registry per
// worker process (isolate: false), which halves the run on 2 cores: most of an isolated file's
// time went into importing the AWS SDK, Prisma and the sandbox again. Files that share a registry
// also share globalThis, where the product keeps process-wide state (the live model catalogue,
// token buckets, schedule timers): lib/testing/fresh-globals.ts clears it before each file. They
// get their databases, sandboxes and servers from explicit helpers (lib/testing/test-db.ts), and
// no test file fakes timers or sets process.env without restoring it.
const MOCKING = globSync(INCLUDE, { cwd: here("./") }).filter((file) => /\bvi\.(mock|doMock)\(/.test(readFileSync(here(`./${file}`), "utf8")));

export default defineConfig({
  resolve: {
    alias: {
      "@": here("./"),
      "server-only": here("./lib/testing/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
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
    projects: [
      // include and exclude only here: a project's arrays add to the root's, not replace them.
      { extends: true, test: { name: "isolated", include: MOCKING, exclude: EXCLUDE, isolate: true } },
      { extends: true, test: { name: "shared", include: INCLUDE, exclude: [...EXCLUDE, ...MOCKING], isolate: false, setupFiles: ["lib/testing/fresh-globals.ts"] } },
    ],
  },
});
